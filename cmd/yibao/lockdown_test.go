package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/yibao/yibao/cmd/yibao/config"
)

// readDocs decodes every YAML document of a file into a generic tree.
func readDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var d map[string]any
		if err := dec.Decode(&d); errors.Is(err, io.EOF) {
			return docs
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, d)
	}
}

// at walks a generic YAML tree by keys (strings) and indexes (ints).
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// TestSecretsOnlyWhereRead: the serving pods get only the variables serve
// reads (the AppSecret is not one), and the menu push Job, which does read
// it, takes it from a Secret of its own.
func TestSecretsOnlyWhereRead(t *testing.T) {
	serve := config.EnvVarsFor(config.Serve)
	_, _, c := loadDeployment(t)
	for _, e := range c.Env {
		if !slices.Contains(serve, e.Name) {
			t.Errorf("the Deployment gives serve %s, which serve does not read", e.Name)
		}
	}
	menu := config.EnvVarsFor(config.Menu)
	job := readDocs(t, filepath.Join(deployDir, "kubernetes", "menu-push", "job.yaml"))[0]
	ctr := at(job, "spec", "template", "spec", "containers", 0)
	if args := at(ctr, "args"); !slices.Equal(toStrings(args), []string{"menu", "push"}) {
		t.Errorf("the Job runs %v", args)
	}
	appSecret := false
	for _, e := range at(ctr, "env").([]any) {
		name, _ := at(e, "name").(string)
		if !slices.Contains(menu, name) {
			t.Errorf("the menu push Job sets %s, which menu push does not read", name)
		}
		if name == "WECHAT_APPSECRET" {
			appSecret = true
			if ref := at(e, "valueFrom", "secretKeyRef", "name"); ref == nil || ref == "yibao" {
				t.Errorf("the AppSecret comes from %v; want a Secret of its own, not the one serve's pods read", ref)
			}
		}
	}
	if !appSecret {
		t.Error("the menu push Job has no WECHAT_APPSECRET")
	}
	if at(job, "spec", "template", "metadata", "labels", "app.kubernetes.io/name") != "yibao" {
		t.Error("the Job's pods lack app.kubernetes.io/name: yibao, which Redis's NetworkPolicy lets in")
	}
}

// TestRedisLockedDown: the Redis of deploy/kubernetes/redis asks for a
// password from a Secret, and its NetworkPolicy admits yibao's pods and no
// others.
func TestRedisLockedDown(t *testing.T) {
	dir := filepath.Join(deployDir, "kubernetes", "redis")
	var k kustomization
	readYAML(t, filepath.Join(dir, "kustomization.yaml"), &k)
	var sts, policy map[string]any
	for _, r := range k.Resources {
		for _, d := range readDocs(t, filepath.Join(dir, r)) {
			switch d["kind"] {
			case "StatefulSet":
				sts = d
			case "NetworkPolicy":
				policy = d
			}
		}
	}
	if sts == nil || policy == nil {
		t.Fatalf("the Redis kustomization lacks a StatefulSet or a NetworkPolicy")
	}
	ctr := at(sts, "spec", "template", "spec", "containers", 0)
	args := toStrings(at(ctr, "args"))
	i := slices.Index(args, "--requirepass")
	if i < 0 || i+1 >= len(args) || args[i+1] != "$(REDIS_PASSWORD)" {
		t.Fatalf("redis args %v: no --requirepass $(REDIS_PASSWORD)", args)
	}
	fromSecret := false
	for _, e := range at(ctr, "env").([]any) {
		if at(e, "name") == "REDIS_PASSWORD" && at(e, "valueFrom", "secretKeyRef", "key") == "REDIS_PASSWORD" {
			fromSecret = true
		}
	}
	if !fromSecret {
		t.Error("REDIS_PASSWORD does not come from a Secret")
	}

	redisPod := at(sts, "spec", "template", "metadata", "labels").(map[string]any)
	for k, v := range at(policy, "spec", "podSelector", "matchLabels").(map[string]any) {
		if redisPod[k] != v {
			t.Errorf("the NetworkPolicy selects %s=%v; Redis's pods have %v", k, v, redisPod)
		}
	}
	from := at(policy, "spec", "ingress", 0, "from", 0, "podSelector")
	admits := func(labels map[string]string) bool {
		for _, ex := range at(from, "matchExpressions").([]any) {
			if at(ex, "operator") != "In" || !slices.Contains(toStrings(at(ex, "values")), labels[at(ex, "key").(string)]) {
				return false
			}
		}
		return at(from, "matchLabels") == nil
	}
	// The webhook's pods as applied (the base's labels include the name).
	webhook := map[string]string{"app.kubernetes.io/name": "yibao", "app.kubernetes.io/component": "webhook"}
	if !admits(webhook) {
		t.Error("the NetworkPolicy does not admit the webhook's pods")
	}
	if admits(map[string]string{"app.kubernetes.io/name": "something-else"}) {
		t.Error("the NetworkPolicy admits other pods")
	}
	if ports := at(policy, "spec", "ingress", 0, "ports"); ports == nil {
		t.Error("the NetworkPolicy opens every port")
	}
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
