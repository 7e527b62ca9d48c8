package redact_test

import (
	"testing"

	"github.com/yibao/yibao/bot/redact"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"no digits", "住院怎么报销", "住院怎么报销"},
		{"amount stays", "花了50000元，自付12000", "花了50000元，自付12000"},
		{"date stays", "2025-01-01 住院", "2025-01-01 住院"},
		{"id card", "身份证500101199001011234谢谢", "身份证500**************4谢谢"},
		{"id card with X", "50010119900101123X", "500**************X"},
		{"id card with x", "id:50010119900101123x.", "id:500**************x."},
		{"mobile", "电话13812345678", "电话138****5678"},
		{"mobile grouped", "打 138 1234 5678 找我", "打 138 **** 5678 找我"},
		{"mobile hyphens", "138-1234-5678", "138-****-5678"},
		{"landline stays", "医保中心023-88979966", "医保中心023-88979966"},
		{"landline no hyphen stays", "02388979966", "02388979966"},
		{"hotline stays", "打12345或12393", "打12345或12393"},
		{"bank card", "卡号6222021234567890123", "卡号***************0123"},
		{"bank card grouped", "6222 0212 3456 7890", "**** **** **** 7890"},
		{"plus 86", "+8613812345678", "+*********5678"},
		{"full-width mobile", "１３８１２３４５６７８", "１３８****５６７８"},
		{"ten digits stay", "1234567890", "1234567890"},
		{"two numbers", "13812345678和13987654321", "138****5678和139****4321"},
		{"short groups not joined", "2025 01 01 13812345678", "2025 01 01 138****5678"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestUserID(t *testing.T) {
	a, b := redact.UserID("o6_bmjrPTlm6_2sgVt7hMZOPfL2M"), redact.UserID("o6_bmjrPTlm6_2sgVt7hMZOPfL2N")
	if len(a) != 12 || a == b {
		t.Fatalf("UserID: %q, %q: want 12 hex digits, different for different ids", a, b)
	}
	if a != redact.UserID("o6_bmjrPTlm6_2sgVt7hMZOPfL2M") {
		t.Fatal("UserID is not stable")
	}
	if redact.UserID("") != "" {
		t.Fatal("empty id should stay empty")
	}
}
