#include "caps.hpp"

#include "error.hpp"

#include <cctype>
#include <cerrno>
#include <memory>
#include <sys/capability.h>

namespace lxcd::caps {
namespace {

struct CapFree {
    void operator()(_cap_struct* caps) const noexcept { cap_free(caps); }
};
using CapState = std::unique_ptr<_cap_struct, CapFree>;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void add_caps(CapMask& mask, const std::vector<std::string>& names, std::string_view key,
              int last) {
    for (const std::string& name : names) {
        int cap = parse_cap(name, key);
        // Capabilities newer than the kernel do not exist here; nothing to keep or drop.
        if (cap <= last)
            mask |= cap_bit(cap);
    }
}

} // namespace

int parse_cap(std::string_view name, std::string_view key) {
    std::string text = lower(name);
    if (text.starts_with("cap_"))
        text.erase(0, 4);
    bool valid = !text.empty();
    for (char c : text)
        valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    cap_value_t cap = -1;
    // libcap accepts numbers as they are and names with their "cap_" prefix.
    bool numeric = valid && std::isdigit(static_cast<unsigned char>(text[0]));
    if (!valid || cap_from_name((numeric ? text : "cap_" + text).c_str(), &cap) != 0 || cap < 0 ||
        cap > 63)
        throw Error(Errc::InvalidConfig,
                    std::string(key) + ": unknown capability '" + std::string(name) + "'");
    return cap;
}

int last_cap() {
    return cap_max_bits() - 1;
}

CapMask caps_to_keep(const std::vector<std::string>& drop, const std::vector<std::string>& keep,
                     int last) {
    CapMask all = last >= 63 ? ~CapMask{0} : cap_bit(last + 1) - 1;
    if (keep.empty()) {
        CapMask dropped = 0;
        add_caps(dropped, drop, "lxc.cap.drop", last);
        return all & ~dropped;
    }
    if (!drop.empty())
        throw Error(Errc::InvalidConfig,
                    "lxc.cap.drop and lxc.cap.keep are both set; use only one of them");
    CapMask kept = 0;
    for (const std::string& name : keep) {
        if (name == "none")
            kept = 0; // "none" clears what came before it
        else
            add_caps(kept, {name}, "lxc.cap.keep", last);
    }
    return kept;
}

void apply_caps(CapMask keep, int last) {
    // The bounding set first: dropping from it needs CAP_SETPCAP, which the
    // next step may remove from the effective set.
    for (int cap = 0; cap <= last; ++cap) {
        if ((keep & cap_bit(cap)) || !CAP_IS_SUPPORTED(cap))
            continue;
        if (cap_drop_bound(cap) < 0)
            throw_errno("lxc.cap: drop capability " + std::to_string(cap) +
                        " from the bounding set");
    }

    CapState state(cap_get_proc());
    if (!state)
        throw_errno("lxc.cap: read the process capabilities");
    for (int cap = 0; cap <= last; ++cap) {
        if (keep & cap_bit(cap))
            continue;
        cap_value_t value = cap;
        for (cap_flag_t flag : {CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE}) {
            if (cap_set_flag(state.get(), flag, 1, &value, CAP_CLEAR) < 0)
                throw_errno("lxc.cap: clear capability " + std::to_string(cap));
        }
    }
    if (cap_set_proc(state.get()) < 0)
        throw_errno("lxc.cap: set the process capabilities");

    // The kernel already lowers ambient capabilities that left the permitted
    // or inheritable set; lower them explicitly so none survives by accident.
    for (int cap = 0; cap <= last; ++cap) {
        if (keep & cap_bit(cap))
            continue;
        if (cap_set_ambient(cap, CAP_CLEAR) < 0 && errno != EINVAL)
            throw_errno("lxc.cap: lower ambient capability " + std::to_string(cap));
    }
}

void drop_privileged_sets() {
    CapState state(cap_get_proc());
    if (!state)
        throw_errno("read the process capabilities");
    // The kernel drops ambient capabilities that are no longer permitted.
    if (cap_clear_flag(state.get(), CAP_EFFECTIVE) < 0 ||
        cap_clear_flag(state.get(), CAP_PERMITTED) < 0 || cap_set_proc(state.get()) < 0)
        throw_errno("drop the capabilities of the non-root init");
}

} // namespace lxcd::caps
