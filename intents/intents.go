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
	Enrol              Intent = "enrol"               // where and how to enrol
	EnrolOnline        Intent = "enrol_online"        // registering online, step by step
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
	Claims             Intent = "claims"              // direct settlement and when it is not possible
	ClaimsOutOfArea    Intent = "claims_out_of_area"  // care in another city or province, 备案
	ClaimsManual       Intent = "claims_manual"       // claiming afterwards with papers (手工报销)
	EmployeeIndividual Intent = "employee_individual" // employee insurance as an individual
	Hotline            Intent = "hotline"             // phone numbers
	Estimate           Intent = "estimate"            // "帮我算": kind not said
	EstimateInpatient  Intent = "estimate_inpatient"  // "住院5万能报多少"
	EstimateOutpatient Intent = "estimate_outpatient" // "门诊200能报多少"
	Reimbursement      Intent = "reimbursement"       // broad "报销", "报销比例": overview of both tables
	TierAdvice         Intent = "tier_advice"         // "选哪档", "二档值不值": which tier suits
	EnrolmentBreak     Intent = "enrolment_break"     // 断缴, 停交, 补缴, 等待期
	Chronic            Intent = "chronic"             // 门特, 慢病, 慢性病门诊
	Maternity          Intent = "maternity"           // 生育, 生孩子, 产检
	Card               Intent = "card"                // 医保卡补办, 社保卡丢了
	Refund             Intent = "refund"              // 退费, 退保
	DuplicateEnrolment Intent = "duplicate_enrolment" // 重复参保
	Checkup            Intent = "checkup"             // 体检
	Dental             Intent = "dental"              // 种牙, 镶牙, 补牙
	Glasses            Intent = "glasses"             // 配眼镜, 老花镜: not in the sources
	Ambulance          Intent = "ambulance"           // 救护车, 叫120: not in the sources
	PersonalAccount    Intent = "personal_account"    // 卡里的钱给家人买药: not in the sources
	HospitalLevel      Intent = "hospital_level"      // which hospitals are 一级/二级/三级
	Discount           Intent = "discount"            // 老年人优惠, 减免: not in the sources
	Injury             Intent = "injury"              // 意外伤害, 摔伤: not in the sources
	Human              Intent = "human"               // 找真人, 转人工
	Complaint          Intent = "complaint"           // 投诉, 举报
	Unhelpful          Intent = "unhelpful"           // 没用, 答非所问: the last answer missed
	Thanks             Intent = "thanks"
	Bye                Intent = "bye"

	// Dialog controls.
	Cancel  Intent = "cancel"  // 取消, 退出, 不算了
	Back    Intent = "back"    // 返回, 上一步
	Restart Intent = "restart" // 重新开始, 重来

	// PayNow is paying now ("交医保", "还来得及吗"): answered for the
	// year being enrolled today.
	PayNow Intent = "pay_now"
)

// Slots are the facts a message gives, whatever its intent. Zero values
// mean "not said".
type Slots struct {
	Amount    engine.Money // a sum of money ("5万", "三万五", "12,000元")
	HasAmount bool
	// AmountApprox: the amount was said roughly ("3来万", "两千多", "大概5
	// 万", "8000左右"); Amount is then the round figure said (30,000 for
	// "3来万", never 3), which the bot confirms before computing.
	AmountApprox bool
	// MoreBills: the message gave more than one bill ("住了两次院 一次2万
	// 一次3万"); Amount is the first. Each stay has its own deductible, so
	// the bills are never added up: the bot says it computed the first.
	MoreBills bool
	// NextBill is the second bill of such a message ("一次3万"), for a
	// second stay in the same year.
	NextBill engine.Money
	// AmountNegative: a minus came before the amount ("-3000元", "负五千");
	// Amount is then negative, never read as the positive sum.
	AmountNegative bool
	Tier           engine.Tier  // 一档/二档
	Level          engine.Level // hospital grade
	Kind           engine.Kind  // 住院/门诊
	// Minor is nil when not said, true for a child (孩子, 宝宝, 8岁),
	// false for an adult said plainly (大人, 成年人, 70岁).
	Minor *bool
	Age   int       // an age in years, when said ("8岁")
	Date  time.Time // a calendar date, when said (midnight, local zone of now)
	Year  int       // a year, when said (2025年, 今年, 明年)
	// YearIsThis is true when Year was said as this calendar year (今年)
	// rather than by its number: in December "今年的医保什么时候交" is the
	// round of payment under way, which is for next year's cover.
	YearIsThis bool

	// OutOfPolicy is the part of the bill outside the reimbursement list,
	// said in any message: "其中自费1万", "目录外3000", "自费部分2千". It is
	// never also the Amount: "住院5万 其中自费1万" is a 5万 bill with 1万
	// outside the list.
	OutOfPolicy    engine.Money
	HasOutOfPolicy bool
	// PriorBasic is what the basic fund already paid this year ("今年前面
	// 住院已经报了5万"): it lowers what is left of the year's cap. It is not
	// a new bill, so it is never also the Amount.
	PriorBasic    engine.Money
	HasPriorBasic bool
	// PriorSelfPay is the in-list self-pay the patient already bore this
	// year ("今年已经自己付了2万"), which counts towards the 大病 threshold.
	// Never also the Amount.
	PriorSelfPay    engine.Money
	HasPriorSelfPay bool
	// Premium is a yearly contribution named to pick a tier ("交的775那个",
	// "交380的", "775的"): the bot maps it to a tier with the year's figures.
	// It is not a bill, so it is never also the Amount.
	Premium    engine.Money
	HasPremium bool
	// PremiumUpTo is set when the premium was said approximately ("一年七
	// 百多那种"): the premium is at least Premium and below PremiumUpTo
	// (800 here), so the bot can pick the tier priced in that range
	// rather than ask for a sum nobody pays. Zero when said exactly.
	PremiumUpTo engine.Money
	// TwoKinds: the message speaks of a stay and of outpatient care ("她住院
	// 4万 我门诊250"), so Kind is unknown; a kind said not to have happened
	// ("我没住院") does not count.
	TwoKinds bool
	// Extra is the answer to a question a deployment added to a dialog
	// (the bot's estimate form): the question's name and the value
	// chosen. The matcher never sets it; the dialog's own readers do.
	Extra Extra
	// DontKnow: the user says they do not know the answer (不知道, 不清楚,
	// 不晓得, 搞不清, 不记得, 忘了).
	DontKnow bool
	// Correction: the user corrects something said before (不对, 说错了,
	// 错了, 改成, 应该是, 搞错了); the slots of the same message are the
	// corrected values.
	Correction bool
	// PersonalNumber: the message holds a mobile, ID-card or bank-card
	// number (intents/pii). It is read with the number blanked out, so no
	// part of it becomes an amount, a date or an age, and the bot can tell
	// the resident it is not needed.
	PersonalNumber bool
}

// Extra is one answer to a question added to a dialog as data.
type Extra struct {
	Name  string // the question's name
	Value string // the value of the option chosen
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
	// Also lists the further questions a message asks besides Intent
	// ("医保今年好多钱一个人…住院咋个报的": Intent inpatient, Also
	// [contribution]), so that the bot can answer both halves; nil when it
	// asks one. The catalogue's "also" entries say which intents may come
	// second to which. Never set for a message holding a bill, nor when
	// Intent is Unknown.
	Also  []Intent
	Slots Slots
	// FollowUp marks an elliptical follow-up that only makes sense against
	// the last topic ("那二档呢", "孩子呢", "那孩子呢", "二档的呢", "三级医院
	// 呢"): a message of slots ending in 呢 with no question of its own.
	// Intent is then Unknown and Slots hold what changed; the bot reads it
	// against the guide or result it showed last.
	FollowUp bool
	// Confidence is how sure the reading of the topic is, in [0,1]: the
	// keyword's score where the classifier agrees, the classifier's
	// probability where it decided. Answers given below a line are
	// counted, so an operator sees what the bot was unsure of.
	Confidence float64
	// How says what decided the topic (keyword, model, clarify, ...).
	How How
	// Ask is the kind of question (rate, amount, how, ...), read apart
	// from the topic.
	Ask Ask
	// Topics are the classifier's likeliest topics, best first.
	Topics []Scored
	// Normalized is the text after normalisation (half-width, lower case,
	// variant characters folded, spaces and punctuation removed).
	Normalized string
}
