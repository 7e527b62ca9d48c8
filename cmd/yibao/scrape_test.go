package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// renderedObject is the part of a rendered Kubernetes object these tests read.
type renderedObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		Template struct {
			Metadata struct {
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"metadata"`
			Spec struct {
				Containers []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// kustomize renders dir with `kubectl kustomize`, as `kubectl apply -k`
// would apply it.
func kustomize(t *testing.T, dir string) []renderedObject {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not on PATH")
	}
	out, err := exec.Command(kubectl, "kustomize", dir).Output()
	if err != nil {
		var xe *exec.ExitError
		if errors.As(err, &xe) {
			t.Fatalf("kubectl kustomize %s: %v\n%s", dir, err, xe.Stderr)
		}
		t.Fatal(err)
	}
	var objs []renderedObject
	dec := yaml.NewDecoder(bytes.NewReader(out))
	for {
		var o renderedObject
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("kubectl kustomize %s: %v", dir, err)
		}
		objs = append(objs, o)
	}
	return objs
}

// TestScrapeConfigFindsThePods renders the base with kubectl kustomize and
// puts its pod template through the yibao job's relabelling in
// deploy/prometheus/prometheus.yaml (the annotation-based scrape): the pods
// must be kept, scraped on the port serve listens on at the path of its
// metrics, and labelled job="yibao", which the alert rules and the
// dashboard select. Redis's pods must not be.
func TestScrapeConfigFindsThePods(t *testing.T) {
	var prom struct {
		ScrapeConfigs []struct {
			JobName        string          `yaml:"job_name"`
			RelabelConfigs []relabelConfig `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, filepath.Join(deployDir, "prometheus", "prometheus.yaml"), &prom)
	var job []relabelConfig
	for _, sc := range prom.ScrapeConfigs {
		if sc.JobName == "yibao" {
			job = sc.RelabelConfigs
		}
	}
	if job == nil {
		t.Fatal(`prometheus.yaml has no job "yibao"`)
	}

	base := kustomize(t, filepath.Join(deployDir, "kubernetes"))
	var pod *renderedObject
	for i := range base {
		if base[i].Kind == "Deployment" && base[i].Metadata.Name == "yibao" {
			pod = &base[i]
		}
	}
	if pod == nil {
		t.Fatal("the rendered base has no Deployment yibao")
	}
	c := pod.Spec.Template.Spec.Containers[0]
	var listen string
	for _, e := range c.Env {
		if e.Name == "YIBAO_ADMIN_ADDR" || (e.Name == "YIBAO_ADDR" && listen == "") {
			listen = e.Value
		}
	}
	_, port, err := net.SplitHostPort(listen)
	if err != nil {
		t.Fatalf("the rendered Deployment's listen address %q: %v", listen, err)
	}
	// Kubernetes service discovery: one target per declared container
	// port, at the pod's IP.
	for _, p := range c.Ports {
		target := podTarget(pod, "10.1.2.3:"+itoa(p.ContainerPort))
		got, kept := relabel(t, job, target)
		if !kept {
			t.Fatalf("the yibao job drops the pod (labels %v, annotations %v)", pod.Spec.Template.Metadata.Labels, pod.Spec.Template.Metadata.Annotations)
		}
		if got["__address__"] != "10.1.2.3:"+port {
			t.Errorf("scraped at %s; serve's metrics are on port %s", got["__address__"], port)
		}
		if got["__metrics_path__"] != "/metrics" {
			t.Errorf("scraped at path %q; serve's metrics are at /metrics", got["__metrics_path__"])
		}
		if got["pod"] == "" || got["namespace"] == "" {
			t.Errorf("no pod or namespace label: %v", got)
		}
	}

	for _, o := range kustomize(t, filepath.Join(deployDir, "kubernetes", "redis")) {
		if o.Kind != "StatefulSet" {
			continue
		}
		if _, kept := relabel(t, job, podTarget(&o, "10.1.2.4:6379")); kept {
			t.Errorf("the yibao job scrapes %s's pods", o.Metadata.Name)
		}
	}
}

// podTarget is what Kubernetes pod discovery gives the relabelling for
// a pod of o's template.
func podTarget(o *renderedObject, addr string) map[string]string {
	l := map[string]string{
		"__address__":                 addr,
		"__metrics_path__":            "/metrics",
		"__meta_kubernetes_namespace": "yibao",
		"__meta_kubernetes_pod_name":  o.Metadata.Name + "-7d9f8-abcde",
		"__meta_kubernetes_pod_phase": "Running",
		"__meta_kubernetes_pod_ip":    strings.Split(addr, ":")[0],
		"job":                         "yibao",
	}
	for k, v := range o.Spec.Template.Metadata.Labels {
		l["__meta_kubernetes_pod_label_"+promName(k)] = v
	}
	for k, v := range o.Spec.Template.Metadata.Annotations {
		l["__meta_kubernetes_pod_annotation_"+promName(k)] = v
	}
	return l
}

var notNameChar = regexp.MustCompile(`[^a-zA-Z0-9_]`)

func promName(s string) string { return notNameChar.ReplaceAllString(s, "_") }

type relabelConfig struct {
	SourceLabels []string `yaml:"source_labels"`
	Separator    *string  `yaml:"separator"`
	Regex        *string  `yaml:"regex"`
	TargetLabel  string   `yaml:"target_label"`
	Replacement  *string  `yaml:"replacement"`
	Action       string   `yaml:"action"`
}

// relabel applies Prometheus's keep, drop and replace actions as its
// documentation defines them (regexes anchored at both ends, $1 the
// default replacement, an empty result deleting the label), enough for
// the shipped job; another action fails the test.
func relabel(t *testing.T, cfgs []relabelConfig, labels map[string]string) (map[string]string, bool) {
	t.Helper()
	out := map[string]string{}
	for k, v := range labels {
		out[k] = v
	}
	for _, c := range cfgs {
		sep, re, repl := ";", "(.*)", "$1"
		if c.Separator != nil {
			sep = *c.Separator
		}
		if c.Regex != nil {
			re = *c.Regex
		}
		if c.Replacement != nil {
			repl = *c.Replacement
		}
		rx := regexp.MustCompile("^(?:" + re + ")$")
		vals := make([]string, len(c.SourceLabels))
		for i, s := range c.SourceLabels {
			vals[i] = out[s]
		}
		v := strings.Join(vals, sep)
		m := rx.FindStringSubmatchIndex(v)
		switch c.Action {
		case "keep":
			if m == nil {
				return nil, false
			}
		case "drop":
			if m != nil {
				return nil, false
			}
		case "", "replace":
			if m == nil {
				continue
			}
			res := string(rx.ExpandString(nil, repl, v, m))
			if res == "" {
				delete(out, c.TargetLabel)
			} else {
				out[c.TargetLabel] = res
			}
		default:
			t.Fatalf("relabel action %q is not modelled here", c.Action)
		}
	}
	return out, true
}

// TestRenderedDeploymentMatchesTheCode: what kubectl applies (not only the
// file) sets only variables the configuration reads, and its probes use
// the port serve listens on.
func TestRenderedDeploymentMatchesTheCode(t *testing.T) {
	read := configEnvNames(t)
	n := 0
	for _, o := range kustomize(t, filepath.Join(deployDir, "kubernetes")) {
		if o.Kind != "Deployment" {
			continue
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			n++
			addr := ""
			for _, e := range c.Env {
				if !read[e.Name] {
					t.Errorf("%s: %s is set but the configuration does not read it", o.Metadata.Name, e.Name)
				}
				if e.Name == "YIBAO_ADDR" {
					addr = e.Value
				}
			}
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				t.Fatalf("YIBAO_ADDR %q: %v", addr, err)
			}
			ports := map[string]int{}
			for _, p := range c.Ports {
				ports[p.Name] = p.ContainerPort
			}
			for name, p := range map[string]*k8sProbe{"startup": c.StartupProbe, "liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
				if p == nil {
					t.Errorf("no %s probe", name)
					continue
				}
				got := 0
				switch v := p.HTTPGet.Port.(type) {
				case string:
					got = ports[v]
				case int:
					got = v
				}
				if itoa(got) != port {
					t.Errorf("%s probe on port %v; serve listens on %s", name, p.HTTPGet.Port, port)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("the rendered base has no Deployment container")
	}
}
