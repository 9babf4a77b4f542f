package members

// locked reports that the viewer may not change this membership
// (membership.MayTouch refused): every control of the page is disabled
// and Locked says why.
func (p DetailProps) locked() bool { return p.Locked != "" }

// why is the reason control is disabled for the viewer ("" when it is
// enabled): MayTouch's refusal first, then the self rule.
func (p DetailProps) why(control string) string {
	if p.Locked != "" {
		return p.Locked
	}
	return p.SelfWhy[control]
}

// reasonID is the id of control's reason, which the control points at.
func reasonID(control string) string { return "member-" + control + "-reason" }
