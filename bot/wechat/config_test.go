package wechat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/yibao/yibao/bot/wechat"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     wechat.Config
		wantErr string // a part of the message; "" for valid
	}{
		{"plain", wechat.Config{Token: token}, ""},
		{"safe", safeConfig(), ""},
		{"safe with previous key", wechat.Config{Token: token, AppID: appID, AESKey: key, PrevAESKey: oldKey}, ""},
		{"no token", wechat.Config{}, "Token is empty"},
		{"short key", wechat.Config{Token: token, AppID: appID, AESKey: key[:42]}, "43-character"},
		{"long key", wechat.Config{Token: token, AppID: appID, AESKey: key + "H"}, "got 44 characters"},
		{"key not base64", wechat.Config{Token: token, AppID: appID, AESKey: "!" + key[1:]}, "not valid base64"},
		{"safe without AppID", wechat.Config{Token: token, AESKey: key}, "AppID is required"},
		{"bad previous key", wechat.Config{Token: token, AppID: appID, AESKey: key, PrevAESKey: "short"}, "PrevAESKey must be"},
		{"previous key alone", wechat.Config{Token: token, PrevAESKey: oldKey}, "AESKey is not"},
		{"deadline past the platform's", wechat.Config{Token: token, Deadline: 5 * time.Second}, "Deadline"},
		{"tiny body limit", wechat.Config{Token: token, MaxBody: 100}, "MaxBody"},
		{"negative", wechat.Config{Token: token, MaxSkew: -time.Second}, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
			}
			if _, err2 := wechat.New(tt.cfg, &fakeBot{}, nil, nil, nil); (err2 == nil) != (err == nil) {
				t.Fatalf("New and Validate disagree: %v vs %v", err2, err)
			}
		})
	}
	if (wechat.Config{Token: token}).Safe() || !safeConfig().Safe() {
		t.Error("Safe() is wrong")
	}
}
