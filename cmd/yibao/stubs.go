package main

func cmdServe(e env) error { return usagef("serve: not built yet") }
func cmdChat(e env) error  { return usagef("chat: not built yet") }
