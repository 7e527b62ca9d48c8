package bot

import "github.com/yibao/yibao/bot/contract"

// The contract types under the names the dialog code has always used.
type (
	Message      = contract.Message
	Reply        = contract.Reply
	Kind         = contract.Kind
	Handler      = contract.Handler
	Store        = contract.Store
	Record       = contract.Record
	Commit       = contract.Commit
	CommitResult = contract.CommitResult
)

const (
	KindText     = contract.KindText
	KindVoice    = contract.KindVoice
	KindMedia    = contract.KindMedia
	KindFollow   = contract.KindFollow
	KindUnfollow = contract.KindUnfollow
	KindMenu     = contract.KindMenu
)

// ErrStoreUnavailable is contract.ErrStoreUnavailable.
var ErrStoreUnavailable = contract.ErrStoreUnavailable
