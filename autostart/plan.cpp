#include "plan.hpp"

#include <algorithm>
#include <set>

namespace lxcd::autostart {

Selection boot_selection() {
    return Selection{{"onboot", ""}, false, false};
}

std::vector<std::string> parse_groups(const std::string& spec) {
    std::vector<std::string> groups;
    size_t start = 0;
    for (;;) {
        size_t comma = spec.find(',', start);
        std::string g =
            spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (std::find(groups.begin(), groups.end(), g) == groups.end())
            groups.push_back(g);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return groups;
}

namespace {

bool in_group(const Candidate& c, const std::string& group) {
    if (group.empty())
        return c.groups.empty();
    return std::find(c.groups.begin(), c.groups.end(), group) != c.groups.end();
}

} // namespace

std::vector<Step> start_plan(const std::vector<Candidate>& candidates, const Selection& sel) {
    std::vector<const Candidate*> sorted;
    for (const auto& c : candidates)
        if (sel.ignore_auto || c.start_auto)
            sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](const Candidate* a, const Candidate* b) {
        return a->order != b->order ? a->order < b->order : a->name < b->name;
    });
    std::vector<Step> plan;
    if (sel.all_groups) {
        for (const Candidate* c : sorted)
            plan.push_back(Step{c->name, c->delay, "", c->order, 0});
        return plan;
    }
    std::vector<std::string> groups =
        sel.groups.empty() ? std::vector<std::string>{""} : sel.groups;
    std::set<std::string> planned;
    for (unsigned pass = 0; pass < groups.size(); pass++)
        for (const Candidate* c : sorted)
            if (in_group(*c, groups[pass]) && planned.insert(c->name).second)
                plan.push_back(Step{c->name, c->delay, groups[pass], c->order, pass});
    return plan;
}

std::vector<Step> stop_plan(const std::vector<Candidate>& candidates, const Selection& sel) {
    auto plan = start_plan(candidates, sel);
    std::reverse(plan.begin(), plan.end());
    for (auto& step : plan)
        step.delay = 0; // delays are for starting only
    return plan;
}

std::vector<Step> shutdown_plan(const std::vector<Candidate>& candidates) {
    const Selection boot = boot_selection();
    auto plan = start_plan(candidates, boot);
    std::set<std::string> planned;
    for (const auto& step : plan)
        planned.insert(step.name);
    // The others: a pass of their own after the boot passes, so they never share a level.
    for (auto step : start_plan(candidates, Selection{{}, true, true}))
        if (!planned.count(step.name)) {
            step.pass = static_cast<unsigned>(boot.groups.size());
            plan.push_back(step);
        }
    std::reverse(plan.begin(), plan.end());
    for (auto& step : plan)
        step.delay = 0;
    return plan;
}

std::vector<Level> levels(const std::vector<Step>& plan, bool parallel) {
    std::vector<Level> out;
    for (const auto& step : plan) {
        bool joins = parallel && !out.empty() && out.back().back().pass == step.pass &&
                     out.back().back().order == step.order;
        if (!joins)
            out.emplace_back();
        out.back().push_back(step);
    }
    return out;
}

} // namespace lxcd::autostart
