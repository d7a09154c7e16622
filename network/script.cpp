#include "script.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "error.hpp"

extern char** environ;

namespace lxcd::net {

namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// TYPE PARENT [PEER], LXC's argv for network scripts.
std::vector<std::string> script_args(const NetPlan& p) {
    std::vector<std::string> args{p.net->type, p.net->link};
    if (p.net->type == "veth")
        args.push_back(p.host_name);
    return args;
}

std::vector<std::string> script_env(const NetPlan& p, const ScriptContext& ctx,
                                    const std::string& hook) {
    std::vector<std::string> env;
    for (char** e = environ; *e; e++)
        env.emplace_back(*e);
    env.push_back("LXC_NAME=" + ctx.container_name);
    if (!ctx.config_file.empty())
        env.push_back("LXC_CONFIG_FILE=" + ctx.config_file);
    env.push_back("LXC_HOOK_VERSION=" + std::to_string(ctx.hook_version));
    if (ctx.hook_version != 1)
        return env;
    const std::string& type = p.net->type;
    env.push_back("LXC_HOOK_TYPE=" + hook);
    env.push_back("LXC_HOOK_SECTION=net");
    env.push_back("LXC_NET_TYPE=" + type);
    if (type == "macvlan" || type == "phys" || type == "veth")
        env.push_back("LXC_NET_PARENT=" + p.net->link);
    if (type == "veth")
        env.push_back("LXC_NET_PEER=" + p.host_name);
    return env;
}

} // namespace

std::string script_command(const NetPlan& p, const ScriptContext& ctx, const std::string& hook) {
    const std::string& script = hook == "up" ? p.net->script_up : p.net->script_down;
    // The script value is shell text (it may carry its own arguments), as in LXC.
    std::string cmd = "exec " + script;
    if (ctx.hook_version == 0)
        cmd += " " + shell_quote(ctx.container_name) + " net " + hook;
    for (const auto& a : script_args(p))
        cmd += " " + shell_quote(a);
    return cmd;
}

void run_net_script(const NetPlan& p, const ScriptContext& ctx, const std::string& hook) {
    const std::string key = "script." + hook;
    const std::string cmd = script_command(p, ctx, hook);
    std::vector<std::string> env = script_env(p, ctx, hook);
    std::vector<char*> envp;
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh", dash_c = "-c", cmd_copy = cmd;
    char* argv[] = {sh.data(), dash_c.data(), cmd_copy.data(), nullptr};

    pid_t pid = 0;
    if (int err = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv, envp.data()); err != 0)
        throw_net_error(*p.net, key, "cannot run \"" + cmd + "\": " + std::strerror(err));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            throw_net_error(*p.net, key,
                            "cannot wait for \"" + cmd + "\": " + std::strerror(errno));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    std::string how = WIFEXITED(status)
                          ? "exited with status " + std::to_string(WEXITSTATUS(status))
                          : "was killed by signal " + std::to_string(WTERMSIG(status));
    throw_net_error(*p.net, key, "\"" + cmd + "\" " + how);
}

} // namespace lxcd::net
