package engine

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// The policy files are read through these small types so that every number
// is taken from its literal text as an exact decimal: YAML's own number
// decoding goes through float64, which money must never do.

type yamlAmount struct {
	set bool
	d   decimal.Decimal
}

func (a *yamlAmount) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want an amount, got a %s", n.Line, kindName(n))
	}
	d, err := decimal.NewFromString(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not an amount", n.Line, n.Value)
	}
	*a = yamlAmount{set: true, d: d}
	return nil
}

type yamlDate struct {
	set bool
	t   time.Time
}

func (d *yamlDate) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a date, got a %s", n.Line, kindName(n))
	}
	t, err := time.ParseInLocation(time.DateOnly, n.Value, time.UTC)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a date like 2025-01-31", n.Line, n.Value)
	}
	*d = yamlDate{set: true, t: t}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// policyFile mirrors the YAML layout; Policy is built from it after checks.
type policyFile struct {
	Year    int    `yaml:"year"`
	Region  string `yaml:"region"`
	Sources []struct {
		Name   string   `yaml:"name"`
		Date   yamlDate `yaml:"date"`
		Covers string   `yaml:"covers"`
		Note   string   `yaml:"note"`
	} `yaml:"sources"`
	BenefitYear struct {
		Start yamlDate `yaml:"start"`
		End   yamlDate `yaml:"end"`
	} `yaml:"benefit_year"`
	Enrolment struct {
		Start        yamlDate `yaml:"start"`
		End          yamlDate `yaml:"end"`
		BenefitsFrom yamlDate `yaml:"benefits_from"`
	} `yaml:"enrolment"`
	LatePayment struct {
		Start yamlDate `yaml:"start"`
		End   yamlDate `yaml:"end"`
	} `yaml:"late_payment"`
	// Provenance says, per group of figures, how sure they are and where
	// they come from; a group whose status is unknown has no figures.
	Provenance   map[string]yamlProvenance `yaml:"provenance"`
	Contribution struct {
		Tier1      yamlAmount  `yaml:"tier1"`
		Tier2      yamlAmount  `yaml:"tier2"`
		SubsidyMin yamlAmount  `yaml:"subsidy_min"`
		Students   tierAmounts `yaml:"students"`
	} `yaml:"contribution"`
	EmployeeIndividual struct {
		Tier1  yamlAmount `yaml:"tier1"`
		Tier2  yamlAmount `yaml:"tier2"`
		Source string     `yaml:"source"`
	} `yaml:"employee_individual"`
	Outpatient struct {
		DeductibleBasis string `yaml:"deductible_basis"`
		Levels          map[int]struct {
			Covered    *bool      `yaml:"covered"`
			Ratio      yamlAmount `yaml:"ratio"`
			Deductible yamlAmount `yaml:"deductible"`
		} `yaml:"levels"`
		AnnualLimit tierAmounts `yaml:"annual_limit"`
	} `yaml:"outpatient"`
	Inpatient struct {
		Levels map[int]struct {
			Deductible yamlAmount  `yaml:"deductible"`
			Ratio      tierAmounts `yaml:"ratio"`
		} `yaml:"levels"`
		MinorBonus yamlAmount  `yaml:"minor_bonus"`
		AnnualCap  tierAmounts `yaml:"annual_cap"`
	} `yaml:"inpatient"`
	CriticalIllness struct {
		Deductible yamlAmount `yaml:"deductible"`
		Confirmed  bool       `yaml:"confirmed"`
		Ratio      yamlAmount `yaml:"ratio"`
		AnnualCap  yamlAmount `yaml:"annual_cap"`
	} `yaml:"critical_illness"`
	EnrolmentRules *yamlEnrolmentRules `yaml:"enrolment_rules"`
	Hotlines       []Hotline           `yaml:"hotlines"`
}

// yamlEnrolmentRules is the optional enrolment_rules section: the national
// waiting-period and incentive rules.
type yamlEnrolmentRules struct {
	Source struct {
		Name string   `yaml:"name"`
		Date yamlDate `yaml:"date"`
		Note string   `yaml:"note"`
	} `yaml:"source"`
	AppliesFrom   yamlDate `yaml:"applies_from"`
	Confirmed     *bool    `yaml:"confirmed"`
	WaitingPeriod struct {
		FixedMonths              yamlAmount `yaml:"fixed_months"`
		MonthsPerBreakYear       yamlAmount `yaml:"months_per_break_year"`
		MonthsOffPerYearPaidBack yamlAmount `yaml:"months_off_per_year_paid_back"`
		FirstBreakYear           string     `yaml:"first_break_year"`
	} `yaml:"waiting_period"`
	ContinuousEnrolment struct {
		AfterYears          yamlAmount `yaml:"after_years"`
		CriticalCapRaiseMin yamlAmount `yaml:"critical_cap_raise_min"`
	} `yaml:"continuous_enrolment"`
	NoClaim struct {
		CriticalCapRaiseMin yamlAmount `yaml:"critical_cap_raise_min"`
	} `yaml:"no_claim"`
}

type tierAmounts struct {
	Tier1 yamlAmount `yaml:"tier1"`
	Tier2 yamlAmount `yaml:"tier2"`
}

// yamlProvenance is one group's status and source.
type yamlProvenance struct {
	Status string `yaml:"status"`
	Source struct {
		Name    string   `yaml:"name"`
		Address string   `yaml:"address"`
		Date    yamlDate `yaml:"date"`
		Cites   string   `yaml:"cites"`
		Note    string   `yaml:"note"`
	} `yaml:"source"`
}
