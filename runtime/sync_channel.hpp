// The parent <-> container-child handshake during start: one SOCK_SEQPACKET
// socketpair, one small message per step. The child's end is close-on-exec, so
// end-of-file after the last "go" means init was exec'd.
#pragma once

#include "fd.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lxcd::runtime {

enum class SyncMsg : uint8_t {
    Go = 1,      // parent -> child: continue with the next step
    Mounted = 2, // child -> parent: rootfs ready, pivoted, waiting for start-host hooks
    Error = 3,   // child -> parent: failed, text is the message
};

struct SyncMessage {
    SyncMsg msg;
    std::string text;
    std::vector<UniqueFd> fds; // passed along with the message (SCM_RIGHTS)
};

class SyncChannel {
  public:
    explicit SyncChannel(UniqueFd fd) : fd_(std::move(fd)) {}

    void send(SyncMsg msg, std::string_view text = {}, std::span<const int> fds = {}) const;
    // nullopt on end-of-file (the other side exited or exec'd).
    std::optional<SyncMessage> receive() const;

    int fd() const { return fd_.get(); }
    void close() { fd_.reset(); }

  private:
    UniqueFd fd_;
};

struct SyncPair {
    SyncChannel parent;
    SyncChannel child;
};
SyncPair make_sync_pair();

} // namespace lxcd::runtime
