// Which containers autostart starts or stops, in which order, with which delays —
// LXC's lxc-autostart semantics (its lxc_autostart.c), as pure functions.
//
// Start: one pass per requested group, in the order given; "" is the NULL group
// (containers with no lxc.group at all). Within a pass: lxc.start.order
// ascending, ties by name. Unless ignore_auto, only lxc.start.auto = 1 containers.
// A container in several requested groups starts once, in its first pass.
// Stop: the same selection in exactly the reverse order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lxcd::autostart {

struct Candidate {
    std::string name;
    bool start_auto = false;
    int32_t order = 0;
    uint32_t delay = 0; // seconds to wait after a successful start
    std::vector<std::string> groups;
};

struct Step {
    std::string name;
    uint32_t delay = 0;
    std::string group; // the pass it belongs to ("" = NULL group)
    int32_t order = 0; // lxc.start.order
    unsigned pass = 0; // index of that pass in the plan
};

// Steps run together: one container each in LXC's sequential order, or with
// parallel all the consecutive steps of one pass with the same lxc.start.order.
using Level = std::vector<Step>;

struct Selection {
    // Groups in pass order; "" = NULL group. Empty = LXC's default for a plain
    // `lxc-autostart`: the NULL group only.
    std::vector<std::string> groups;
    bool ignore_auto = false; // ignore lxc.start.auto (lxc-autostart --ignore-auto)
    bool all_groups = false;  // ignore lxc.group: one pass over all (lxc-autostart --all)
};

// Boot: the onboot group first, then the NULL group (SPEC and seed 001).
Selection boot_selection();

// Parses lxc-autostart's -g syntax: "onboot,", ",a,b" (a leading, trailing or
// doubled comma means the NULL group).
std::vector<std::string> parse_groups(const std::string& spec);

std::vector<Step> start_plan(const std::vector<Candidate>& candidates, const Selection& sel);
std::vector<Step> stop_plan(const std::vector<Candidate>& candidates, const Selection& sel);
// Host shutdown: the reverse of the boot plan, preceded by every other container
// (autostarted or not) in reverse lxc.start.order.
std::vector<Step> shutdown_plan(const std::vector<Candidate>& candidates);

// A plan (start or stop) cut into the levels it runs in.
std::vector<Level> levels(const std::vector<Step>& plan, bool parallel);

} // namespace lxcd::autostart
