#include "registry.hpp"

#include "config_parse.hpp"
#include "log.hpp"
#include "storage.hpp"
#include "storage_hooks.hpp"
#include "template_busybox.hpp"
#include "unprivileged.hpp"
#include "user_containers.hpp"

#include <fstream>
#include <system_error>

namespace lxcd {

namespace fs = std::filesystem;

void validate_container_name(const std::string& name) {
    if (name.empty())
        throw Error(Errc::InvalidArgument, "container name is empty");
    if (name.size() > 64)
        throw Error(Errc::InvalidArgument, "container name is longer than 64 characters");
    if (name[0] == '.' || name[0] == '-')
        throw Error(Errc::InvalidArgument,
                    "container name '" + name + "' starts with '" + name[0] + "'");
    for (unsigned char c : name)
        if (!(std::isalnum(c) || c == '_' || c == '.' || c == '-'))
            throw Error(Errc::InvalidArgument,
                        "container name contains a character other than A-Z a-z 0-9 _ . -");
}

Registry::Registry(ManagerContext& ctx, fs::path lxcpath)
    : ctx_(ctx), lxcpath_(std::move(lxcpath)), jobs_(ctx.loop) {
    ctx_.stopped = [this](Container& c) { container_stopped(c); };
}

Registry::~Registry() {
    ctx_.stopped = {};
}

Container& Registry::add(const std::string& name) {
    auto c = std::make_unique<Container>(ctx_, name, lxcpath_ / name / "config");
    auto& ref = *c;
    containers_.emplace(name, std::move(c));
    ref.reload_config();
    if (listener_)
        listener_(ref, true);
    return ref;
}

void Registry::scan() {
    std::error_code ec;
    std::map<std::string, bool> seen;
    for (const auto& entry : fs::directory_iterator(lxcpath_, ec)) {
        auto name = entry.path().filename().string();
        try {
            validate_container_name(name);
        } catch (const Error&) {
            continue;
        }
        if (busy_.count(name))
            continue; // a copy still being made
        if (!fs::exists(entry.path() / "config", ec))
            continue;
        seen[name] = true;
        if (Container* known = find(name))
            known->reload_config();
        else
            add(name).adopt();
    }
    for (auto it = containers_.begin(); it != containers_.end();) {
        if (!seen.count(it->first) && !it->second->in_use()) {
            if (listener_)
                listener_(*it->second, false);
            it = containers_.erase(it);
        } else {
            ++it;
        }
    }
}

Container* Registry::find(const std::string& name) {
    auto it = containers_.find(name);
    return it == containers_.end() ? nullptr : it->second.get();
}

Container& Registry::get(const std::string& name) {
    if (auto* c = find(name))
        return *c;
    throw Error(Errc::NoSuchContainer, "no container named '" + name + "'");
}

std::vector<Container*> Registry::all() {
    std::vector<Container*> out;
    for (auto& [name, c] : containers_)
        out.push_back(c.get());
    return out;
}

void Registry::claim_new_name(const std::string& name, const fs::path& dir) {
    validate_container_name(name);
    if (find(name) || busy_.count(name) || fs::exists(dir))
        throw Error(Errc::AlreadyExists, "container '" + name + "' already exists");
}

Container& Registry::create(const std::string& name, const CreateOptions& options) {
    fs::path dir = lxcpath_ / name;
    claim_new_name(name, dir);
    std::error_code ec;
    fs::create_directories(lxcpath_, ec);
    if (!fs::create_directory(dir, ec) || ec)
        throw Error(Errc::System, "cannot create " + dir.string() + ": " + ec.message());
    try {
        bool user = runtime::unprivileged();
        std::string config = user ? user_default_config(runtime::current_paths()) : "";
        if (options.template_name == "busybox")
            config += make_busybox_rootfs(name, dir);
        else if (options.template_name != "none" && !options.template_name.empty())
            throw Error(Errc::InvalidArgument,
                        "unknown template '" + options.template_name + "' (busybox, none)");
        config += options.extra_config;
        if (!config.empty() && config.back() != '\n')
            config += '\n';
        fs::path tmp = dir / "config.tmp";
        {
            std::ofstream out(tmp);
            out << config;
            if (!out.flush())
                throw Error(Errc::System, "cannot write " + tmp.string());
        }
        fs::rename(tmp, dir / "config");
        if (user && fs::exists(dir / "rootfs"))
            give_to_container_root(dir / "rootfs",
                                   config::parse_file(dir / "config").config.idmaps);
        return add(name);
    } catch (...) {
        fs::remove_all(dir, ec); // no half-made container left behind
        throw;
    }
}

void Registry::refuse_dependents(const std::string& what, const std::vector<fs::path>& bases,
                                 const fs::path& except) {
    auto dependents = storage::find_dependents(lxcpath_, bases, except);
    if (dependents.empty())
        return;
    std::string list;
    for (const auto& d : dependents)
        list += (list.empty() ? "" : ", ") + d;
    throw Error(Errc::Failed, "cannot destroy " + what +
                                  ": overlay clones use its rootfs as their lower: " + list +
                                  " (destroy them first)");
}

void Registry::destroy(const std::string& name) {
    Container& c = get(name);
    if (c.active())
        throw Error(Errc::AlreadyRunning,
                    "container '" + name + "' is running; stop it before destroying");
    if (c.in_use())
        throw Error(Errc::AlreadyRunning,
                    "container '" + name + "' is still stopping (its supervisor has not exited)");
    if (busy_.count(name))
        throw Error(Errc::Failed, "container '" + name + "' is being restored");
    if (copying_.count(name))
        throw Error(Errc::Failed, "container '" + name + "' is being copied; destroy it after");
    c.reload_config(); // the hooks and storage of the file as it is now (if it parses)
    fs::path dir = lxcpath_ / name;
    bool managed = c.config().rootfs_managed;
    std::vector<fs::path> bases;
    if (managed)
        bases = storage::base_dirs(c.config().rootfs_path);
    for (const auto& snap : snapshots(name))
        for (const auto& base : storage::base_dirs(
                 config::parse_file(storage::snapshots_dir(dir) / snap.name / "config")
                     .config.rootfs_path))
            bases.push_back(base);
    refuse_dependents("container '" + name + "'", bases, dir);

    run_storage_hooks(config::HookType::Destroy, name, "", c.config_path(), c.config());
    std::error_code ec;
    if (managed && runtime::unprivileged()) {
        remove_as_container_root(dir, c.config().idmaps);
    } else if (managed) {
        fs::remove_all(dir, ec);
    } else {
        // lxc.rootfs.managed = 0: the storage is not ours; drop only our files.
        fs::remove(dir / "config", ec);
        std::error_code not_empty; // the unmanaged rootfs may live inside
        fs::remove(dir, not_empty);
    }
    if (ec)
        throw Error(Errc::System, "cannot remove " + dir.string() + ": " + ec.message());
    if (listener_)
        listener_(c, false);
    containers_.erase(name);
}

void Registry::container_stopped(Container& c) {
    if (!c.config().ephemeral)
        return;
    // Not from inside the container's own handlers: on the next loop turn.
    std::string name = c.name();
    ephemeral_destroy_[name] = ctx_.loop.add_timer(std::chrono::microseconds(0), [this, name] {
        try {
            if (Container* gone = find(name); gone && !gone->active()) {
                destroy(name);
                log::container(log::Level::Info, name, "ephemeral container destroyed");
            }
        } catch (const Error& e) {
            log::container(log::Level::Error, name,
                           std::string("cannot destroy ephemeral container: ") + e.what());
        }
        std::string key = name; // the capture goes with the source
        ephemeral_destroy_.erase(key);
    });
}

void Registry::destroy_stopped_ephemeral() {
    for (Container* c : all())
        if (!c->active() && c->config().ephemeral)
            container_stopped(*c);
}

} // namespace lxcd
