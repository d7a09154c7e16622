// org.lxcd1.Manager: CopyContainer and the snapshot methods (lxc-copy, lxc-snapshot).
#include "calls.hpp"
#include "manager_object.hpp"

#include <memory>

namespace lxcd::bus {

void ManagerObject::CopyContainer(sdbus::Result<>&& result, std::string from, std::string to,
                                  std::map<std::string, sdbus::Variant> options) {
    mutate(getObject(), std::move(result), [&](Container::Done done) {
        CopyOptions opts;
        opts.snapshot = bool_option(options, "snapshot");
        opts.ephemeral = bool_option(options, "ephemeral");
        opts.lxcpath = string_option(options, "lxcpath");
        if (opts.ephemeral && !opts.lxcpath.empty() && opts.lxcpath != registry_.lxcpath())
            throw Error(Errc::InvalidArgument, "an ephemeral copy must be in lxcd's lxcpath " +
                                                   registry_.lxcpath().string() + " to be started");
        bool start = opts.ephemeral; // lxc-copy -e starts the copy
        registry_.copy(from, to, opts, [this, to, start, done](const std::optional<Error>& err) {
            if (err || !start) {
                done(err);
                return;
            }
            try {
                registry_.get(to).start(done);
            } catch (const Error& e) {
                done(e);
            }
        });
    });
}

void ManagerObject::SnapshotContainer(sdbus::Result<std::string>&& result, std::string name) {
    auto shared = std::make_shared<sdbus::Result<std::string>>(std::move(result));
    translate([&] {
        require_root(getObject());
        registry_.snapshot(name,
                           [shared](const std::optional<Error>& err, const std::string& snap) {
                               if (err)
                                   shared->returnError(to_bus_error(*err));
                               else
                                   shared->returnResults(snap);
                           });
    });
}

std::vector<sdbus::Struct<std::string, std::string>>
ManagerObject::ListSnapshots(const std::string& name) {
    return translate([&] {
        std::vector<sdbus::Struct<std::string, std::string>> out;
        for (const auto& s : registry_.snapshots(name))
            out.emplace_back(s.name, s.timestamp);
        return out;
    });
}

void ManagerObject::RestoreSnapshot(sdbus::Result<>&& result, std::string name,
                                    std::string snapshot, std::string new_name) {
    mutate(getObject(), std::move(result), [&](Container::Done done) {
        registry_.restore(name, snapshot, new_name, std::move(done));
    });
}

void ManagerObject::DestroySnapshot(const std::string& name, const std::string& snapshot) {
    translate([&] {
        require_root(getObject());
        registry_.destroy_snapshot(name, snapshot);
    });
}

} // namespace lxcd::bus
