package intents

import (
	"testing"
	"time"
)

// TestCrossValidationReading: five-fold cross-validation of the whole
// topic reading (keywords and classifier together). For each fold the
// classifier is trained without the fold's messages; the keyword reading
// is the catalogue's as shipped. A message counts as answered when the
// reading names a topic, and as abstained when it asks (clarify) or
// gives up. Many labelled messages were labelled by the keyword reading
// itself, so this is an upper bound on what a new message gets; the
// classifier-only figures of TestCrossValidation are the honest floor.
func TestCrossValidationReading(t *testing.T) {
	const k = 5
	cat := DefaultCatalogue()
	base := compile(cat, compileLexicon(DefaultLexicon()))
	isKeyword := map[Example]bool{}
	for _, e := range cat.Entries {
		for _, list := range [][]string{e.Keywords, e.WithAmount, e.Alone} {
			for _, s := range list {
				isKeyword[Example{Text: s, Intent: e.Name}] = true
			}
		}
	}
	var msgs, kws []Example
	for _, ex := range cat.TrainingSet() {
		if isKeyword[ex] {
			kws = append(kws, ex)
		} else {
			msgs = append(msgs, ex)
		}
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	answered, right, total := 0, 0, 0
	// declined: questions that belong to no topic (labelled other) read
	// as no topic, which is their right reading; the second figure below
	// counts them as answered rightly rather than as abstentions.
	declined := 0
	for f := range k {
		train := append([]Example(nil), kws...)
		var test []Example
		for i, ex := range msgs {
			if i%k == f {
				test = append(test, ex)
			} else {
				train = append(train, ex)
			}
		}
		m := *base
		m.model = Train(train)
		for _, ex := range test {
			total++
			got := m.Match(ex.Text, now)
			if got.Intent == Unknown {
				if ex.Intent == Other {
					declined++
				}
				continue
			}
			answered++
			if m.related(got.Intent, ex.Intent) {
				right++
			} else if testing.Verbose() {
				t.Logf("wrong: %q (%s) read as %s by %s", ex.Text, ex.Intent, got.Intent, got.How)
			}
		}
	}
	precision := 100 * float64(right) / float64(max(answered, 1))
	abstain := 100 - 100*float64(answered)/float64(total)
	// Abstaining is not knowing: a question about something else read as
	// no topic ("暖气费交多少钱") is read rightly, so the floor on
	// abstention counts only the others.
	unsure := 100 - 100*float64(answered+declined)/float64(total)
	t.Logf("reading, %d-fold: %d messages, answered %d (abstained %.1f%%), precision %.1f%%", k, total, answered, abstain, precision)
	t.Logf("the same, with the %d no-topic questions read as no topic counted as answered rightly: abstained %.1f%%, precision %.1f%%",
		declined, unsure, 100*float64(right+declined)/float64(max(answered+declined, 1)))
	// The goal is 97% precision with at most 10% abstained. The labelled
	// messages the keyword reading labelled itself reach it (97.5%, 6.4%
	// abstained); with 880 more labelled by someone who never saw the
	// code, whose topics overlap as residents' questions do, the reading
	// is at 93.7% (11.0% abstained, 4.2% leaving out the no-topic
	// questions declined). This guards against going back; raise it as the
	// reading improves.
	if precision < 93 || unsure > 6 {
		t.Errorf("precision %.1f%% (floor 93%%, goal 97%%), abstained on questions of a topic %.1f%% (ceiling 6%%, goal 10%% of all)", precision, unsure)
	}
}

// BenchmarkTrain: the classifier is fitted each time the catalogue's
// examples change (a reload of unchanged data reuses the model); the goal
// is well under a second.
func BenchmarkTrain(b *testing.B) {
	set := DefaultCatalogue().TrainingSet()
	b.ReportAllocs()
	for b.Loop() {
		train(set)
	}
}
