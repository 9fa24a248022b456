package testpg

import "syscall"

// sysProcAttr runs a child as cred (when set) and has the kernel stop it if
// the test binary dies without calling Main's cleanup.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT}
}
