package main

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/yibao/yibao/engine"
)

// chongqing is where "today" is for the round of enrolment.
var chongqing = time.FixedZone("CST", 8*3600)

// seasonCollector exports, at each scrape, whether the benefit year in
// force and the one being enrolled have a contribution confirmed by the
// city's notice. It reads the book in service at scrape time, so a reload
// or a new day changes it without a restart. The name and labels are
// watched by an alert: keep them.
type seasonCollector struct {
	book func() *engine.Book
	now  func() time.Time
	desc *prometheus.Desc
}

func newSeasonCollector(book func() *engine.Book, now func() time.Time) *seasonCollector {
	return &seasonCollector{book: book, now: now, desc: prometheus.NewDesc(
		"yibao_policy_year_unconfirmed",
		"1 when the benefit year in force or being enrolled (role) has no contribution confirmed by the city's notice.",
		[]string{"year", "role"}, nil)}
}

func (c *seasonCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *seasonCollector) Collect(ch chan<- prometheus.Metric) {
	b := c.book()
	if b == nil {
		return
	}
	for _, y := range b.SeasonYears(c.now().In(chongqing)) {
		v := 0.0
		if !y.Confirmed() {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v, strconv.Itoa(y.Year), y.Role)
	}
}

// warnUnconfirmedYears logs, at start-up and after a reload, each season
// year whose contribution is not confirmed.
func warnUnconfirmedYears(log *zap.Logger, b *engine.Book, now time.Time) {
	for _, y := range b.SeasonYears(now.In(chongqing)) {
		if y.Confirmed() {
			continue
		}
		log.Warn("policy year without a confirmed contribution: answers say so and give the hotline; add the city's notice to the year's file",
			zap.Int("year", y.Year), zap.String("role", y.Role), zap.String("status", string(y.Status)))
	}
}
