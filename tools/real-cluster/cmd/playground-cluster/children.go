package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// child is one component process, re-executed from this binary, logging to <logs>/<name>.log.
type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	// stopping marks an exit the supervisor asked for (a node failed on purpose), not a crash.
	stopping bool
}

// startChild runs `<self> <component> args...` as the process called name.
func startChild(logDir, name, component string, args ...string) (*child, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(filepath.Join(logDir, name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, append([]string{component}, args...)...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// If the supervisor dies (even by SIGKILL), the kernel kills its components: no orphans
		// holding ports. Pdeathsig is tied to the forking OS thread; runSupervisor locks it.
		Pdeathsig: syscall.SIGKILL,
		Setpgid:   true,
	}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		logFile.Close()
		close(c.done)
	}()
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// kill ends the process at once, as a crash or a power cut would, and waits for it.
func (c *child) kill() {
	c.stopping = true
	if c.exited() {
		return
	}
	_ = c.cmd.Process.Kill()
	<-c.done
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// stop asks politely (SIGTERM), then insists (SIGKILL) after the timeout.
func (c *child) stop(timeout time.Duration) {
	c.stopping = true
	if c.exited() {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(timeout):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}
