package intents_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/yibao/yibao/intents"
)

// crossValidate trains on k−1 folds of the labelled messages and
// predicts the held-out fold, for every fold; keywords always stay on the
// training side (they are fragments, not questions). It returns, per
// message, the truth and the prediction.
func crossValidate(t testing.TB, k int) (truth []intents.Intent, preds []intents.Prediction) {
	cat := intents.DefaultCatalogue()
	all := cat.TrainingSet()
	isKeyword := map[intents.Example]bool{}
	for _, e := range cat.Entries {
		for _, list := range [][]string{e.Keywords, e.WithAmount, e.Alone} {
			for _, s := range list {
				isKeyword[intents.Example{Text: s, Intent: e.Name}] = true
			}
		}
	}
	var msgs, kws []intents.Example
	for _, ex := range all {
		if isKeyword[ex] {
			kws = append(kws, ex)
		} else {
			msgs = append(msgs, ex)
		}
	}
	for f := range k {
		train := slices.Clone(kws)
		var test []intents.Example
		for i, ex := range msgs {
			if i%k == f {
				test = append(test, ex)
			} else {
				train = append(train, ex)
			}
		}
		c := intents.Train(train)
		for _, ex := range test {
			truth = append(truth, ex.Intent)
			preds = append(preds, c.Predict(ex.Text))
		}
	}
	return truth, preds
}

func TestCrossValidation(t *testing.T) {
	truth, preds := crossValidate(t, 5)
	for _, th := range []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9} {
		answered, right := 0, 0
		for i, p := range preds {
			b := p.Best()
			if b.P < th {
				continue
			}
			answered++
			if sameTopic(b.Intent, truth[i]) {
				right++
			}
		}
		t.Logf("threshold %.1f: answered %d/%d (abstain %.1f%%), precision %.1f%%", th, answered, len(preds),
			100-100*float64(answered)/float64(len(preds)), 100*float64(right)/float64(max(answered, 1)))
	}
	if testing.Verbose() {
		errs := map[string]int{}
		for i, p := range preds {
			if b := p.Best(); b.P >= 0.7 && !sameTopic(b.Intent, truth[i]) {
				errs[fmt.Sprintf("%s→%s", truth[i], b.Intent)]++
			}
		}
		t.Logf("confident errors (p ≥ 0.7), truth→predicted: %v", errs)
	}
}

// sameTopic: the estimate and rule topics of one kind of care are told
// apart by slots and the kind of question, not by the classifier (which
// masks figures), so confusing them is no error of its own.
func sameTopic(got, want intents.Intent) bool {
	care := func(in intents.Intent) bool {
		switch in {
		case intents.Estimate, intents.EstimateInpatient, intents.EstimateOutpatient, intents.Inpatient,
			intents.Outpatient, intents.Reimbursement, intents.Critical:
			return true
		}
		return false
	}
	return got == want || care(got) && care(want)
}
