package httpapi

// unimplemented answers 501 for operations whose area has not landed yet
// (none now; an area in progress adds its placeholders here).
type unimplemented struct{}
