package intents

import (
	"crypto/sha256"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"unicode/utf8"
)

// Classifier is a topic model learned from labelled messages: a
// multinomial logistic regression over character n-grams of the
// normalised text. Keywords say what an operator knows a word means; the
// classifier generalises from how residents phrase whole questions, so a
// message that shares no keyword with a topic can still be placed, and a
// message whose only keyword belongs elsewhere is noticed.
//
// Training is deterministic (a fixed seed and order), takes well under a
// second for a few thousand messages, and happens when the catalogue is
// compiled, so a reloaded catalogue retrains. A Classifier is immutable
// after training and safe for concurrent use.
type Classifier struct {
	labels  []Intent
	feats   map[string]int32 // n-gram → row of weights
	weights []float32        // len(feats) × len(labels), row-major
	bias    []float32
}

// Example is one labelled message.
type Example struct {
	Text   string
	Intent Intent
}

// Prediction is the classifier's belief over topics for one message.
type Prediction struct {
	// Top holds the likeliest topics, best first, with probabilities
	// that sum to at most 1.
	Top []Scored
}

// Scored is one topic with its probability.
type Scored struct {
	Intent Intent
	P      float64
}

// Best is the likeliest topic and its probability (Unknown, 0 for none).
func (p Prediction) Best() Scored {
	if len(p.Top) == 0 {
		return Scored{Intent: Unknown}
	}
	return p.Top[0]
}

// P is the probability of one topic (0 when it is not among Top).
func (p Prediction) P(in Intent) float64 {
	for _, s := range p.Top {
		if s.Intent == in {
			return s.P
		}
	}
	return 0
}

// Training settings, chosen by cross-validation over the shipped
// examples (see TestCrossValidation): more epochs or a larger rate did not
// raise held-out precision.
const (
	trainEpochs = 12
	trainRate   = 2.0
	trainL2     = 1e-5
	trainSeed   = 17
	predictTop  = 5
	minGram     = 1
	maxGram     = 3
)

// trained remembers the classifiers already fitted, by a hash of their
// examples: a reload of unchanged data, a catalogue validated and then
// compiled, and every test that builds a bot from the shipped data would
// otherwise fit the same model again (a third of a second each, far more
// under the race detector). A Classifier is immutable, so sharing one is
// safe; the cache holds a handful of models at most.
var trained = struct {
	sync.Mutex
	m map[[32]byte]*Classifier
}{m: map[[32]byte]*Classifier{}}

const maxTrained = 16

// Train fits a classifier to the examples, or returns the one already
// fitted to the same examples. Labels are the examples' intents, in order
// of first appearance.
func Train(examples []Example) *Classifier {
	h := sha256.New()
	for _, ex := range examples {
		h.Write([]byte(ex.Intent))
		h.Write([]byte{0})
		h.Write([]byte(ex.Text))
		h.Write([]byte{0})
	}
	var key [32]byte
	h.Sum(key[:0])
	trained.Lock()
	defer trained.Unlock()
	if c, ok := trained.m[key]; ok {
		return c
	}
	c := train(examples)
	if len(trained.m) >= maxTrained {
		clear(trained.m)
	}
	trained.m[key] = c
	return c
}

func train(examples []Example) *Classifier {
	c := &Classifier{feats: map[string]int32{}}
	index := map[Intent]int{}
	type row struct {
		feats []int32
		label int
	}
	rows := make([]row, 0, len(examples))
	for _, ex := range examples {
		li, ok := index[ex.Intent]
		if !ok {
			li = len(c.labels)
			index[ex.Intent] = li
			c.labels = append(c.labels, ex.Intent)
		}
		var fs []int32
		grams(classifierText(ex.Text), func(g []byte) {
			id, ok := c.feats[string(g)]
			if !ok {
				id = int32(len(c.feats))
				c.feats[string(g)] = id
			}
			fs = append(fs, id)
		})
		if len(fs) > 0 {
			rows = append(rows, row{fs, li})
		}
	}
	nl := len(c.labels)
	c.weights = make([]float32, len(c.feats)*nl)
	c.bias = make([]float32, nl)
	if nl == 0 {
		return c
	}
	rng := rand.New(rand.NewPCG(trainSeed, trainSeed))
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	// Balance the topics: a topic an operator adds with eight examples
	// must not drown beside one with two hundred. Each example weighs
	// the square root of its topic's share below the average, so small
	// topics count more without their few examples being overfitted.
	count := make([]int, nl)
	for _, r := range rows {
		count[r.label]++
	}
	weight := make([]float64, nl)
	for l, n := range count {
		weight[l] = math.Sqrt(float64(len(rows)) / float64(nl) / float64(max(n, 1)))
	}
	probs := make([]float64, nl)
	for epoch := range trainEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := trainRate / (1 + float64(epoch)*0.5)
		for _, oi := range order {
			r := rows[oi]
			c.scores(r.feats, probs)
			softmax(probs)
			scale := 1 / math.Sqrt(float64(len(r.feats)))
			for l := range nl {
				g := probs[l]
				if l == r.label {
					g--
				}
				if g > -1e-4 && g < 1e-4 {
					continue
				}
				step := float32(rate * g * weight[r.label])
				c.bias[l] -= step * 0.1
				for _, f := range r.feats {
					w := &c.weights[int(f)*nl+l]
					*w -= step*float32(scale) + float32(trainL2)**w
				}
			}
		}
	}
	return c
}

// scores writes the raw class scores of a feature list into out.
func (c *Classifier) scores(feats []int32, out []float64) {
	nl := len(c.labels)
	for l := range nl {
		out[l] = float64(c.bias[l])
	}
	if len(feats) == 0 {
		return
	}
	scale := 1 / math.Sqrt(float64(len(feats)))
	for _, f := range feats {
		row := c.weights[int(f)*nl : int(f)*nl+nl]
		for l, w := range row {
			out[l] += float64(w) * scale
		}
	}
}

func softmax(v []float64) {
	hi := math.Inf(-1)
	for _, x := range v {
		hi = max(hi, x)
	}
	sum := 0.0
	for i, x := range v {
		v[i] = math.Exp(x - hi)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// Predict returns the likeliest topics of a message. A message with no
// n-gram seen in training gets an empty prediction.
func (c *Classifier) Predict(text string) Prediction {
	return c.predictNormalized([]rune(Normalize(text)), nil)
}

// predictNormalized is Predict for text already normalised (Match has it);
// it masks figures in norm in place. sc, when not nil, is working memory to
// reuse.
func (c *Classifier) predictNormalized(norm []rune, sc *matchScratch) Prediction {
	if c == nil || len(c.labels) == 0 {
		return Prediction{}
	}
	if sc == nil {
		sc = new(matchScratch)
	}
	feats := sc.feats[:0]
	sc.grams.each(maskDigits(norm), func(g []byte) {
		if id, ok := c.feats[string(g)]; ok {
			feats = append(feats, id)
		}
	})
	sc.feats = feats
	if len(feats) == 0 {
		return Prediction{}
	}
	probs := slices.Grow(sc.probs[:0], len(c.labels))[:len(c.labels)]
	sc.probs = probs
	c.scores(feats, probs)
	softmax(probs)
	// The few best by selection: sorting every label costs more.
	top := make([]Scored, 0, predictTop)
	for range min(predictTop, len(probs)) {
		bi := -1
		for l, p := range probs {
			if p >= 0 && (bi < 0 || p > probs[bi]) {
				bi = l
			}
		}
		top = append(top, Scored{c.labels[bi], probs[bi]})
		probs[bi] = -1
	}
	return Prediction{Top: top}
}

// Labels are the topics the classifier knows.
func (c *Classifier) Labels() []Intent { return slices.Clone(c.labels) }

// classifierText is the text the classifier reads: normalised, with
// figures masked (see maskDigits).
func classifierText(text string) []rune {
	return maskDigits([]rune(Normalize(text)))
}

// maskDigits writes every run of ASCII digits (and the separators inside
// it) as one '0', so that "住院5万" and "住院12,000" look alike and a
// figure never becomes a feature of its own. It writes over rs.
func maskDigits(rs []rune) []rune {
	out := rs[:0]
	for _, r := range rs {
		if isASCIIDigit(r) || isDigitJoiner(r) {
			if len(out) > 0 && out[len(out)-1] == '0' {
				continue
			}
			r = '0'
		}
		out = append(out, r)
	}
	if len(out) > maxMatchRunes {
		out = out[:maxMatchRunes]
	}
	return out
}

// grams calls f with every n-gram of the text (minGram to maxGram runes)
// as UTF-8, the text framed by '^' and '$' so that a message's first and
// last characters weigh as such. The slice is only valid during the call
// (a map lookup with string(b) does not allocate).
func grams(rs []rune, f func([]byte)) {
	var gb gramBuf
	gb.each(rs, f)
}

// gramBuf is the working memory of grams: the message as UTF-8 between its
// boundary marks and where each rune starts. It is reused through a
// Matcher's scratch pool, so reading a message allocates nothing.
type gramBuf struct {
	b   []byte
	off []int
}

// each calls f with every 1–3-gram of rs (see grams); f must not keep its
// argument.
func (gb *gramBuf) each(rs []rune, f func([]byte)) {
	if len(rs) == 0 {
		return
	}
	b, off := gb.b[:0], gb.off[:0]
	off = append(off, 0)
	b = append(b, '^')
	for _, r := range rs {
		off = append(off, len(b))
		b = utf8.AppendRune(b, r)
	}
	off = append(off, len(b))
	b = append(b, '$')
	off = append(off, len(b))
	gb.b, gb.off = b, off
	runes := len(off) - 1
	for n := minGram; n <= maxGram; n++ {
		for i := 0; i+n <= runes; i++ {
			if n == 1 && (i == 0 || i == runes-1) {
				continue
			}
			f(b[off[i]:off[i+n]])
		}
	}
}
