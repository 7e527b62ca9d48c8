// Package bot is the transport-independent dialog core: a message from a user
// comes in, a reply goes out, and what the user is in the middle of is kept
// per user behind the contract.Store interface. It imports no HTTP, WeChat or
// Redis code; adapters live in subpackages and import only bot/contract, and
// cmd wires them together.
package bot
