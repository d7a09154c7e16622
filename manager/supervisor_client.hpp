// lxcd's side of one supervisor connection (see runtime/supervisor_protocol.hpp).
// Requests are answered in order, so pending replies are a FIFO of callbacks;
// "state" events go to the state handler; a closed connection means the
// supervisor is gone.
#pragma once

#include "event_loop.hpp"
#include "fd.hpp"
#include "state.hpp"

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>

namespace lxcd {

class Error;

class SupervisorClient {
  public:
    // reply: the text after "ok" on success, or the error.
    using ReplyHandler =
        std::function<void(const std::optional<Error>& err, const std::string& data)>;
    using StateHandler = std::function<void(State state, pid_t init_pid)>;
    using ClosedHandler = std::function<void()>;

    SupervisorClient(EventLoop& loop, UniqueFd socket, StateHandler on_state,
                     ClosedHandler on_closed);
    // Connects to <state_dir>/control and subscribes; throws Error when nothing listens.
    static std::unique_ptr<SupervisorClient> connect(EventLoop& loop, const std::string& state_dir,
                                                     StateHandler on_state,
                                                     ClosedHandler on_closed);

    void request(const std::string& message, ReplyHandler on_reply);

  private:
    void on_readable(uint32_t revents);
    void dispatch(const std::string& message);
    void close_connection();

    UniqueFd socket_;
    StateHandler on_state_;
    ClosedHandler on_closed_;
    std::deque<ReplyHandler> pending_;
    EventSource source_;
};

// Parses "error <Code> <message>" into an Error (exposed for tests).
Error parse_error_reply(const std::string& message);

} // namespace lxcd
