// One datagram of text with one file descriptor attached (SCM_RIGHTS), for
// replies too large for a control message, e.g. the console ring buffer.
#pragma once

#include "fd.hpp"

#include <string>
#include <string_view>

namespace lxcd::runtime {

// Throws Error on failure.
void send_with_fd(int sock, std::string_view text, int fd);
// The datagram's text; `fd` receives the attached descriptor, if any. Throws Error
// when the peer closed or the receive failed.
std::string recv_with_fd(int sock, UniqueFd& fd);

} // namespace lxcd::runtime
