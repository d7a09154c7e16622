#include "user_nics.hpp"

#include "error.hpp"
#include "log.hpp"
#include "netns_owner.hpp"
#include "registry.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

namespace lxcd {

UserNics::UserNics(EventLoop& loop, const std::filesystem::path& run_dir, std::string usernet_file)
    : loop_(loop), dir_(run_dir / ".usernet"), usernet_file_(std::move(usernet_file)) {
    std::vector<UserNicRecord> records;
    try {
        records = read_user_nic_records(dir_);
    } catch (const Error& e) {
        log::error(e.what());
    }
    for (const auto& r : records) {
        try {
            UniqueFd pidfd = open_process(r.owner);
            if (pidfd && net::user_nic_exists(r.host_ifindex, r.host_name))
                watch(r, std::move(pidfd));
            else
                release(r.host_name, r.host_ifindex);
        } catch (const Error& e) {
            log::error(r.host_name + ": " + e.what());
        }
    }
}

std::vector<net::UserNic> UserNics::create(uid_t uid, int netns_fd, int pidfd,
                                           const std::string& container,
                                           const std::vector<net::UserNicRequest>& requests) {
    if (geteuid() != 0) // a per-user lxcd offers the same interface
        throw Error(Errc::AccessDenied, "only the system lxcd creates network devices for users");
    validate_container_name(container);
    require_netns_owned_by(netns_fd, uid);
    const ProcessId owner = pidfd_process_in(pidfd, netns_fd);

    const UsernetUser user = lookup_usernet_user(uid);
    const std::vector<UsernetEntry> entries = read_usernet(usernet_file_);
    std::map<std::string, unsigned> wanted;
    for (const auto& r : requests)
        wanted[r.link]++;
    for (const auto& [bridge, count] : wanted)
        check_usernet_quota(entries, user, bridge, live_devices(uid, bridge), count, usernet_file_);

    std::vector<net::UserNic> nics = net::create_user_nics(netns_fd, requests);
    try {
        for (const auto& nic : nics)
            keep(UserNicRecord{nic.host_name, nic.host_ifindex, nic.link, uid, owner, container},
                 pidfd);
    } catch (const Error&) {
        // Unrecorded, a device would escape the quota: none is handed out.
        for (const auto& nic : nics)
            release(nic.host_name, nic.host_ifindex);
        throw;
    }
    for (const auto& nic : nics)
        log::container(log::Level::Info, container,
                       "veth " + nic.host_name + " on " + nic.link + " for uid " +
                           std::to_string(uid) + " (" + nic.name + " inside)");
    return nics;
}

void UserNics::keep(const UserNicRecord& record, int pidfd) {
    UniqueFd own(fcntl(pidfd, F_DUPFD_CLOEXEC, 0));
    if (!own)
        throw_errno("cannot keep the pidfd");
    write_user_nic_record(dir_, record);
    watch(record, std::move(own));
}

unsigned UserNics::live_devices(uid_t uid, const std::string& bridge) {
    unsigned live = 0;
    for (const auto& r : read_user_nic_records(dir_)) {
        if (!net::user_nic_exists(r.host_ifindex, r.host_name)) {
            release(r.host_name, r.host_ifindex);
            continue;
        }
        if (r.uid == uid && r.bridge == bridge)
            live++;
    }
    return live;
}

void UserNics::watch(const UserNicRecord& record, UniqueFd pidfd) {
    Watch& w = watches_[record.host_name];
    w.pidfd = std::move(pidfd);
    w.exit = loop_.add_io(w.pidfd.get(), EPOLLIN,
                          [this, name = record.host_name, index = record.host_ifindex](uint32_t) {
                              // sd-event frees this handler only after it returns.
                              release(name, index);
                          });
}

void UserNics::release(const std::string& host_name, int host_ifindex) {
    watches_.erase(host_name);
    try {
        net::delete_user_nic(host_ifindex, host_name);
    } catch (const Error& e) {
        log::error(host_name + ": " + e.what());
    }
    remove_user_nic_record(dir_, host_name);
}

} // namespace lxcd
