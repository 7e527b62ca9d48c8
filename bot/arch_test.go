package bot_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependenciesPointInward keeps the design card's rule: the policy,
// language and text packages know nothing of WeChat, Redis or HTTP; the
// dialog core does not speak HTTP itself; adapters compile against the
// contract, never against the dialog logic.
func TestDependenciesPointInward(t *testing.T) {
	const mod = "github.com/yibao/yibao/"
	transport := []string{"net/http", "github.com/silenceper/wechat", "github.com/redis/go-redis", mod + "bot/wechat", mod + "bot/redisstore"}
	for _, pkg := range []string{"engine", "intents", "replies"} {
		for _, dep := range goList(t, "{{join .Deps \"\\n\"}}", mod+pkg) {
			if hasAnyPrefix(dep, transport) {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
	for _, imp := range goList(t, "{{join .Imports \"\\n\"}}", mod+"bot") {
		if hasAnyPrefix(imp, transport) {
			t.Errorf("the dialog core imports %s", imp)
		}
	}
	for _, adapter := range []string{"bot/wechat", "bot/redisstore", "bot/memstore", "bot/storetest", "bot/h5", "bot/breaker", "bot/usage", "bot/wechat/accesstoken"} {
		if slices.Contains(goList(t, "{{join .Deps \"\\n\"}}", mod+adapter), mod+"bot") {
			t.Errorf("%s compiles against the dialog core; it should import only bot/contract", adapter)
		}
	}
}

func goList(t *testing.T, format, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", format, pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if s == p || strings.HasPrefix(s, p+"/") {
			return true
		}
	}
	return false
}
