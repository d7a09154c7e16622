// lxc.net.N.script.up / script.down, run on the host the way LXC runs them.
#pragma once

#include <string>

#include "plan.hpp"

namespace lxcd::net {

struct ScriptContext {
    std::string container_name;
    std::string config_file; // "" if unknown
    int hook_version = 0;    // lxc.hook.version
};

// The /bin/sh command line LXC builds: hook version 0 passes
// "NAME net up|down" before TYPE PARENT [PEER]; version 1 passes only those
// and exports LXC_HOOK_TYPE, LXC_HOOK_SECTION, LXC_NET_TYPE, LXC_NET_PARENT
// and LXC_NET_PEER instead.
std::string script_command(const NetPlan& plan, const ScriptContext& ctx, const std::string& hook);

// Runs script.up or script.down (hook "up" / "down") and waits for it;
// throws naming the key when it cannot run or exits non-zero.
void run_net_script(const NetPlan& plan, const ScriptContext& ctx, const std::string& hook);

} // namespace lxcd::net
