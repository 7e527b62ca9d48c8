package replies

import "fmt"

// The estimate page's API answers with a code per outcome; these are the
// sentences the page shows for them. The chat words the same outcomes in
// chat.go.

// PageMessage words an API outcome by its code, with its arguments (the
// hotline, a year, a field's label). An unknown code is a programming
// error and reads as the code itself, so that a test sees it.
func PageMessage(code string, args ...any) string {
	f, ok := pageMessages[code]
	if !ok {
		return code
	}
	return fmt.Sprintf(f, args...)
}

var pageMessages = map[string]string{
	"too_many":          "请求太频繁了，请过一会儿再算。",
	"not_json":          "请求要用 JSON 格式（Content-Type: application/json）。",
	"too_long":          "请求太长了（最多 %d 字节）。",
	"one_object":        "请求里只能有一个 JSON 对象。",
	"one_object_field":  "请求里只能有一个 JSON 对象",
	"server_error":      "服务出了点问题，请稍后再试，或拨打 %s 咨询。",
	"fix_fields":        "有几项需要改一下：",
	"field_format":      "%s的格式不对",
	"unreadable":        "请求格式不对，看不懂。",
	"unknown_json":      "不是这个接口认识的 JSON（字段名要和文档一致）",
	"no_year":           "没有%d年度的标准，可以算的年度从%d年开始",
	"kind_missing":      "请选择要算什么：住院、门诊、每年交多少钱或一档二档比较",
	"kind_unknown":      "只能算住院（inpatient）、门诊（outpatient）、每年交多少钱（contribution）或一档二档比较（tiers）",
	"tier_missing":      "请选择档次：一档或二档",
	"level_missing":     "请选择医院等级：一级、二级或三级",
	"scheme_missing":    "请选择参保方式：城乡居民医保或以个人身份参加职工医保",
	"not_in_year":       "%d年度的数据里没有这一项，请拨打 %s 咨询",
	"year_fallback":     "%d年度的标准还没有录入，按%d年度标准",
	"amount_missing":    "请填写%s",
	"amount_negative":   "%s不能是负数",
	"amount_too_large":  "%s太大了（最多%d万元），请核对",
	"amount_below_fen":  "%s最多写到分（小数点后两位）",
	"amount_not_number": "%s要填数字，比如 12000、3.5万 或 12,000",
	// engine.InputError's codes, with the field's label first.
	"tier_invalid":           "%s只有一档和二档",
	"level_invalid":          "%s只有一级、二级、三级",
	"out_of_list_over_total": "%s不能超过总费用",
	"years_too_large":        "%s太大了，请再看一下",
	"paid_back_over_broken":  "%s不能比断保的年数多",
}

// InputMessage words an engine.InputError for the resident, naming the
// field as the page labels it.
func InputMessage(field, code string) string {
	label, ok := PageFieldLabel(field)
	if !ok {
		label = field
	}
	return PageMessage(code, label)
}

// PageFieldLabel names a request field as the page labels it; false for a
// field the page does not have.
func PageFieldLabel(field string) (string, bool) {
	l, ok := pageFieldLabels[field]
	return l, ok
}

var pageFieldLabels = map[string]string{
	"kind": "项目", "year": "年度", "tier": "档次", "level": "医院等级", "minor": "是否未满18岁",
	"cost": "总费用", "out_of_policy": "目录外（自费）费用", "prior_basic": "今年基本医保已报销",
	"prior_selfpay": "今年住院已自付", "used": "今年门诊已报销", "scheme": "参保方式",
	"prior": "今年已报销或已自付的金额", "years_broken": "断保年数", "years_paid_back": "补缴年数",
}
