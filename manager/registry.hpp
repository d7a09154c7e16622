// All containers under one LXC path (/var/lib/lxc by default): discovery,
// creation from a template, and destruction.
#pragma once

#include "container.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lxcd {

struct CreateOptions {
    std::string template_name; // "busybox" or "none"
    std::string extra_config;  // appended to the generated config
};

class Registry {
  public:
    using Listener = std::function<void(Container&, bool added)>;

    Registry(ManagerContext& ctx, std::filesystem::path lxcpath);

    // Rescans lxcpath: adds new containers, drops removed ones that are not running.
    void scan();
    Container* find(const std::string& name);
    Container& get(const std::string& name); // throws NoSuchContainer
    std::vector<Container*> all();

    Container& create(const std::string& name, const CreateOptions& options);
    // The container must be stopped. Honours lxc.rootfs.managed = 0.
    void destroy(const std::string& name);

    void set_listener(Listener l) { listener_ = std::move(l); }
    const std::filesystem::path& lxcpath() const { return lxcpath_; }

  private:
    Container& add(const std::string& name);

    ManagerContext& ctx_;
    std::filesystem::path lxcpath_;
    std::map<std::string, std::unique_ptr<Container>> containers_;
    Listener listener_;
};

// LXC accepts almost any file name; we accept what is safe as a directory name,
// a unit name and a bus path: [A-Za-z0-9_.-], not starting with '.' or '-', ≤ 64 chars.
// Throws Error(InvalidArgument) naming the problem.
void validate_container_name(const std::string& name);

} // namespace lxcd
