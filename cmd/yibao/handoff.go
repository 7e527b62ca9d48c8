package main

import (
	"context"

	"github.com/yibao/yibao/bot/contract"
	"github.com/yibao/yibao/intents"
)

// handoffMarker marks the replies to a request for a person (the human
// intent: 转人工, 找真人, the menu's button), so the WeChat adapter can pass
// the conversation to staff when the operator has them on duty. Done here,
// in the wiring, so the dialog core stays as it is and the adapter never
// learns intent names.
type handoffMarker struct{ next contract.Handler }

func (h handoffMarker) Handle(ctx context.Context, m contract.Message) (contract.Reply, error) {
	r, err := h.next.Handle(ctx, m)
	if err == nil && r.Intent == string(intents.Human) {
		r.Handoff = true
	}
	return r, err
}
