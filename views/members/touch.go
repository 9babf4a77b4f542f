package members

// locked reports that the viewer may not change this membership
// (membership.MayTouch refused): every control of the page is disabled
// and Locked says why.
func (p DetailProps) locked() bool { return p.Locked != "" }
