package intents

// maxForms bounds how many forms one keyword expands to, so that a keyword
// made of several synonym-rich words cannot blow up the matcher.
const maxForms = 64

// synonyms maps every member of a synonym group to its group.
type synonyms struct {
	members dict[int]
	groups  [][]string // normalised members, in catalogue order
}

func synonymIndex(groups [][]string) synonyms {
	var s synonyms
	for gi, g := range groups {
		var members []string
		for _, w := range g {
			n := Normalize(w)
			if n == "" {
				continue
			}
			members = append(members, n)
			s.members.add([]rune(n), gi)
		}
		s.groups = append(s.groups, members)
	}
	return s
}

// expand returns the keyword and every form made by replacing a synonym in
// it with another member of its group ("居民医保交多少" → "新农合交多少",
// "居民医保多少钱", ...), the keyword itself first.
func (s synonyms) expand(kw string) []string {
	rs := []rune(kw)
	forms := []string{""}
	for i := 0; i < len(rs); {
		g, l := s.members.longest(rs, i)
		if l == 0 {
			for j := range forms {
				forms[j] += string(rs[i])
			}
			i++
			continue
		}
		own := string(rs[i : i+l])
		alts := []string{own}
		for _, w := range s.groups[g] {
			if w != own {
				alts = append(alts, w)
			}
		}
		var next []string
		for _, f := range forms {
			for _, a := range alts {
				if len(next) < maxForms {
					next = append(next, f+a)
				}
			}
		}
		forms = next
		i += l
	}
	return forms
}
