// Package architecture holds no code: its test checks that the packages of
// the module keep the dependency direction README's Architecture section
// describes (domain packages import no AWS SDK, no driver and nothing above
// them; entry points import only the composition root), so the structure
// cannot drift without a failing test.
package architecture
