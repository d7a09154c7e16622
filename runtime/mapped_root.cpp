#include "mapped_root.hpp"

#include "error.hpp"
#include "idmap.hpp"
#include "process.hpp"
#include "sync_channel.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>

namespace lxcd::runtime {

namespace {

// The maps plus the caller's own ids at the first container id none of them uses.
std::vector<config::IdMap> with_own_ids(std::vector<config::IdMap> maps) {
    uint32_t free_id = 0;
    for (const auto& m : maps)
        free_id = std::max(free_id, m.ns_id + m.range);
    maps.push_back({'u', free_id, static_cast<uint32_t>(::getuid()), 1});
    maps.push_back({'g', free_id, static_cast<uint32_t>(::getgid()), 1});
    return maps;
}

[[noreturn]] void child(SyncChannel& sync, const std::function<void()>& fn) noexcept {
    try {
        if (::unshare(CLONE_NEWUSER) < 0)
            throw_errno("new user namespace");
        sync.send(SyncMsg::Mounted); // ready for the maps
        auto go = sync.receive();
        if (!go || go->msg != SyncMsg::Go)
            ::_exit(1);
        if (::setresgid(0, 0, 0) < 0 || ::setresuid(0, 0, 0) < 0)
            throw_errno("become root of the user namespace");
        fn();
        ::_exit(0);
    } catch (const std::exception& e) {
        try {
            sync.send(SyncMsg::Error, e.what());
        } catch (const Error&) {
        }
    }
    ::_exit(1);
}

} // namespace

void run_as_mapped_root(const std::vector<config::IdMap>& maps, const std::function<void()>& fn) {
    SyncPair pair = make_sync_pair();
    pid_t pid = ::fork();
    if (pid < 0)
        throw_errno("fork");
    if (pid == 0) {
        pair.parent.close();
        child(pair.child, fn);
    }
    pair.child.close();
    std::optional<Error> failure;
    try {
        auto ready = pair.parent.receive();
        if (ready && ready->msg == SyncMsg::Error)
            throw Error(Errc::Failed, ready->text);
        if (!ready)
            throw Error(Errc::Failed, "the mapped-root helper exited early");
        write_idmaps(pid, with_own_ids(maps));
        pair.parent.send(SyncMsg::Go);
        if (auto m = pair.parent.receive(); m && m->msg == SyncMsg::Error)
            throw Error(Errc::Failed, m->text);
    } catch (const Error& e) {
        failure = e;
    }
    pair.parent.close(); // a child still waiting for "go" exits
    int status = wait_for(pid);
    if (failure)
        throw *failure;
    if (status != 0)
        throw Error(Errc::Failed, "the mapped-root helper failed: " + describe_status(status));
}

} // namespace lxcd::runtime
