package bkn

// SetPerMessage makes the hub receive one message per transaction (the path before batching) and
// returns the undo: the benchmark's baseline.
func SetPerMessage(on bool) (undo func()) {
	was := perMessage.Swap(on)
	return func() { perMessage.Store(was) }
}

// SetCommitHook has f told of each commit of the hub's consumers (commitHook) and returns the undo.
func SetCommitHook(f func(kind string, ids []string)) (undo func()) {
	old := commitHook.Swap(&f)
	return func() { commitHook.Store(old) }
}
