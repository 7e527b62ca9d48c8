// Package intents turns what residents type into an intent and slots. It is
// pure: no WeChat, no Redis, no clock of its own (callers pass "now"), and a
// Matcher is safe for concurrent use.
package intents

import (
	"time"

	"github.com/yibao/yibao/engine"
)

// Intent names what a message asks for. The catalogue (data) lists them;
// these constants are the ones the bot's code refers to by name.
type Intent string

const (
	Unknown Intent = "unknown"

	Help               Intent = "help"                // greeting, 菜单, 你好
	About              Intent = "about"               // what residents' insurance is
	Eligibility        Intent = "eligibility"         // who may enrol
	Enrol              Intent = "enrol"               // where and how to enrol (incl. online registration)
	Materials          Intent = "materials"           // what to bring
	Contribution       Intent = "contribution"        // how much it costs (一档/二档)
	Payment            Intent = "payment"             // how and where to pay
	Deadline           Intent = "deadline"            // payment deadline and when cover starts
	PaymentStatus      Intent = "payment_status"      // checking payment status and records
	FamilyPay          Intent = "family_pay"          // paying for family from an employee's account
	NotRegistered      Intent = "not_registered"      // "没有查询到有效的登记信息" when paying
	Outpatient         Intent = "outpatient"          // outpatient reimbursement rules
	Inpatient          Intent = "inpatient"           // inpatient reimbursement rules
	Critical           Intent = "critical"            // 大病保险
	Claims             Intent = "claims"              // direct settlement, manual claims, out-of-area care
	EmployeeIndividual Intent = "employee_individual" // employee insurance as an individual
	Hotline            Intent = "hotline"             // phone numbers
	Estimate           Intent = "estimate"            // "帮我算": kind not said
	EstimateInpatient  Intent = "estimate_inpatient"  // "住院5万能报多少"
	EstimateOutpatient Intent = "estimate_outpatient" // "门诊200能报多少"
	Thanks             Intent = "thanks"
	Bye                Intent = "bye"

	// Dialog controls.
	Cancel  Intent = "cancel"  // 取消, 退出, 不算了
	Back    Intent = "back"    // 返回, 上一步
	Restart Intent = "restart" // 重新开始, 重来
)

// Slots are the facts a message gives, whatever its intent. Zero values
// mean "not said".
type Slots struct {
	Amount    engine.Money // a sum of money ("5万", "三万五", "12,000元")
	HasAmount bool
	Tier      engine.Tier  // 一档/二档
	Level     engine.Level // hospital grade
	Kind      engine.Kind  // 住院/门诊
	// Minor is nil when not said, true for a child (孩子, 宝宝, 8岁),
	// false for an adult said plainly (大人, 成年人, 70岁).
	Minor *bool
	Age   int       // an age in years, when said ("8岁")
	Date  time.Time // a calendar date, when said (midnight, local zone of now)
	Year  int       // a year, when said (2025年, 今年, 明年)
}

// Result is what Match found in one message.
type Result struct {
	// Intent is Unknown when nothing matched, when the message is ambiguous
	// (generic "医保报销": Suggestions then lists the candidates), and when
	// the message only answers a slot ("二档", "三甲", "10万", "孩子"): Slots
	// are filled and Suggestions hint at the intents that use them.
	Intent Intent
	// Score is the match confidence in [0,1]; Unknown has 0.
	Score float64
	// Suggestions are the closest intents, best first, when Intent is
	// Unknown (at most 3).
	Suggestions []Intent
	Slots       Slots
	// Normalized is the text after normalisation (half-width, lower case,
	// variant characters folded, spaces and punctuation removed).
	Normalized string
}
