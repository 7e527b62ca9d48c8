package main

import (
	"runtime/debug"
	"strconv"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"go.uber.org/zap"
)

// serveGCPercent is the garbage collector's GOGC for serve unless the
// environment sets one. A message allocates about 20 KB, all of it garbage
// once the reply is written, over a live heap of about 30 MB (the
// catalogue's trained model, the caches). At Go's default of 100 a
// collection ran every few thousand messages and marked that whole heap
// each time: about 12 µs of CPU per message under load, a tenth of the
// webhook's cost with Redis. At 400 collections are four times rarer for
// about 120 MB more heap at peak; memoryLimitRatio keeps that inside a
// container's limit.
const serveGCPercent = 400

// memoryLimitRatio is the share of the container's memory limit (cgroup)
// the Go runtime is told to stay under (GOMEMLIMIT), unless the
// environment sets GOMEMLIMIT: near it the collector runs as often as it
// must, whatever GOGC says, so a higher GOGC cannot push a pod into the
// out-of-memory killer. Outside a container with a limit there is none.
const memoryLimitRatio = 0.8

// gcTuning is what tuneGC set, for the start-up log.
type gcTuning struct {
	gogc  string // GOGC in force, as the environment or serve set it
	limit int64  // GOMEMLIMIT in force, bytes; math.MaxInt64 for none
	err   error  // reading the container's limit failed (the limit is then unchanged)
}

// tuneGC applies serveGCPercent and the container-derived memory limit,
// each unless the environment already sets it (GOGC, GOMEMLIMIT, or
// AUTOMEMLIMIT=off). It changes the process's runtime settings, so only
// serve calls it.
func tuneGC(getenv func(string) string) gcTuning {
	t := gcTuning{gogc: getenv("GOGC")}
	if t.gogc == "" {
		debug.SetGCPercent(serveGCPercent)
		t.gogc = strconv.Itoa(serveGCPercent)
	}
	t.limit, t.err = memlimit.Set(
		memlimit.WithRatio(memoryLimitRatio),
		memlimit.WithProvider(memlimit.FromCgroup),
	)
	return t
}

func (t gcTuning) fields() []zap.Field {
	f := []zap.Field{zap.String("gogc", t.gogc), zap.Int64("memory_limit_bytes", t.limit)}
	if t.err != nil {
		f = append(f, zap.NamedError("memory_limit_error", t.err))
	}
	return f
}
