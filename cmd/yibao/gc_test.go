package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(prev) })

	got := tuneGC(func(string) string { return "" })
	if now := debug.SetGCPercent(100); now != serveGCPercent || got.gogc != "400" {
		t.Errorf("without GOGC: runtime has %d, reported %q; want %d", now, got.gogc, serveGCPercent)
	}
	got = tuneGC(func(k string) string {
		if k == "GOGC" {
			return "150"
		}
		return ""
	})
	if now := debug.SetGCPercent(100); now != 100 || got.gogc != "150" {
		t.Errorf("with GOGC=150: serve changed the runtime's percent to %d or reported %q", now, got.gogc)
	}
}
