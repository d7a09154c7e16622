// user-nic-client NETNS PID CONTAINER CONFIG: what an unprivileged supervisor does for
// its container's network (network/user_nic_client.hpp), for test-usernet.sh: asks the
// system lxcd for the veth devices of CONFIG's lxc.net.N entries in the network
// namespace NETNS (normally /proc/PID/ns/net), PID standing for the container's init.
// Prints "HOST_NAME NAME" per device; on an error "CODE: message" (CODE as in
// org.lxcd1.Error.CODE) and exits 1.
#include "user_nic_client.hpp"
#include "config_parse.hpp"
#include "error.hpp"
#include "fd.hpp"

#include <fcntl.h>
#include <sys/syscall.h>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: user-nic-client NETNS PID CONTAINER CONFIG\n";
        return 2;
    }
    try {
        const std::string ns = argv[1];
        const std::string pid = argv[2];
        auto parsed = lxcd::config::parse_file(argv[4]);
        if (!parsed.ok())
            throw lxcd::Error(lxcd::Errc::InvalidConfig, std::string(argv[4]) + " has errors");
        lxcd::UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, std::stoi(pid), 0)));
        if (!pidfd)
            lxcd::throw_errno("pidfd_open " + pid);
        lxcd::UniqueFd netns(open(ns.c_str(), O_RDONLY | O_CLOEXEC));
        if (!netns)
            lxcd::throw_errno("open " + ns);
        for (const auto& nic : lxcd::net::request_user_nics(netns.get(), pidfd.get(), argv[3],
                                                            parsed.config.networks))
            std::cout << nic.host_name << ' ' << nic.name << '\n';
        return 0;
    } catch (const lxcd::Error& e) {
        std::cerr << lxcd::Error::code_name(e.code()) << ": " << e.what() << '\n';
        return 1;
    }
}
