// The control protocol between lxcd (or lxcctl) and a container's supervisor.
//
// Each running container has one `lxcd-supervisor` process, the parent of the
// container's init. It owns the container's lifetime, so containers survive a
// restart of lxcd: the daemon re-adopts them through the state directory.
//
// State directory (default /run/lxcd/<name>/, mode 0700):
//   state     the LXC state name ("STARTING", "RUNNING", ...) and a newline
//   init.pid  the container init's PID (host PID namespace) and a newline
//   supervisor.pid
//   control   SOCK_SEQPACKET unix socket (root only)
// Files are replaced atomically (write tmp, rename).
//
// State names are those of runtime/state.hpp (LXC's).
// Messages are single datagrams of ASCII text, fields separated by one space.
// Requests:
//   start                   -> (handshake only, see below) "ok" once RUNNING, or an error
//   state                   -> "ok <STATE> <init pid or 0>"
//   subscribe               -> "ok", then an event "state <STATE> <init pid>" now and on
//                              every change until the connection closes
//   stop <timeout seconds>  -> halt signal, wait, then stop signal; "ok" when STOPPED
//   kill <signal number>    -> "ok" after sending the signal to init
//   reboot                  -> "ok" after sending the reboot signal
//   freeze                  -> FREEZING, cgroup freezer, "ok" when FROZEN
//   thaw                    -> THAWED, "ok" when the tasks run again (state RUNNING)
//   console                 -> "ok"; from then on the connection carries raw console
//                              bytes both ways (what the container writes to
//                              /dev/console, and input for it), until it closes
//   console-log <clear 0|1> -> "ok <bytes>" with a memfd attached (SCM_RIGHTS) holding
//                              the lxc.console.buffer.size ring, oldest byte first; also
//                              saved to lxc.console.buffer.logfile when set; 1 clears it
//   console-rotate          -> "ok" after renaming lxc.console.logfile to LOGFILE.1
//                              (needs lxc.console.rotate = 1)
// Errors: "error <Errc name> <message>" (see error.hpp's Error::code_name).
//
// Start-up handshake: lxcd starts the supervisor with `--sync-fd N`, one end of
// a SOCK_SEQPACKET socketpair. The supervisor does nothing until it reads
// "start" on it (lxcd first moves it into the container's systemd scope), then
// starts the container, answers "ok" (RUNNING) or "error ..." (and exits,
// having removed all it created), and from then on treats N as a subscribed
// control connection. If N closes before "start", the supervisor exits with
// nothing created.
//
// Attach is not a request: the caller joins the container itself, so stdio and the
// exit status pass straight through. `lxcd-supervisor --attach NAME [--state-dir DIR]
// [--config PATH] -- CMD...` (runtime/attach.hpp) reads init.pid, joins init's cgroups
// and namespaces, applies the config's environment, cwd, seccomp, caps and uid/gid,
// and exits with CMD's status.
#pragma once

namespace lxcd::supervisor {

inline constexpr const char* kDefaultRunDir = "/run/lxcd";
inline constexpr const char* kControlSocket = "control";
inline constexpr const char* kStateFile = "state";
inline constexpr const char* kInitPidFile = "init.pid";
inline constexpr const char* kSupervisorPidFile = "supervisor.pid";
inline constexpr unsigned kMaxMessage = 4096;

} // namespace lxcd::supervisor
