#include "runner.hpp"

#include "log.hpp"

#include <chrono>
#include <memory>

namespace lxcd::autostart {

std::vector<Candidate> candidates(Registry& registry) {
    std::vector<Candidate> out;
    for (Container* c : registry.all()) {
        c->reload_config(); // lxc.start.* and lxc.group as the files say now
        const auto& conf = c->config();
        out.push_back(
            Candidate{c->name(), conf.start_auto, conf.start_order, conf.start_delay, conf.groups});
    }
    return out;
}

namespace {

// One sequential walk over a plan; owned by the callbacks that continue it.
struct Run : std::enable_shared_from_this<Run> {
    using Action = std::function<void(Container&, Container::Done)>;

    Registry& registry;
    EventLoop* loop = nullptr; // for delays; null when steps have none
    std::vector<Step> steps;
    Action action;
    bool want_active = false; // which containers a step acts on
    RunDone done;
    size_t next = 0;
    std::vector<std::string> failed;
    EventSource delay;

    Run(Registry& r, std::vector<Step> s, Action a, bool active, RunDone d)
        : registry(r), steps(std::move(s)), action(std::move(a)), want_active(active),
          done(std::move(d)) {}

    void step() {
        while (next < steps.size()) {
            const Step s = steps[next++];
            Container* c = registry.find(s.name);
            if (!c || c->active() != want_active)
                continue; // gone, or already where we want it: no delay
            try {
                action(*c, [self = shared_from_this(), s](const std::optional<Error>& err) {
                    self->finished(s, err);
                });
                return;
            } catch (const Error& e) {
                report(s.name, e);
            }
        }
        done(failed);
    }

    void finished(const Step& s, const std::optional<Error>& err) {
        if (err) {
            report(s.name, *err);
        } else if (s.delay > 0 && loop) {
            // LXC: the delay follows a successful start only.
            delay = loop->add_timer(std::chrono::seconds(s.delay),
                                    [self = shared_from_this()] { self->step(); });
            return;
        }
        step();
    }

    void report(const std::string& name, const Error& e) {
        log::container(log::Level::Error, name, std::string("autostart: ") + e.what());
        failed.push_back(name);
    }
};

void run(std::shared_ptr<Run> r) {
    r->step();
}

Run::Action stop_action(bool kill, unsigned timeout) {
    return
        [kill, timeout](Container& c, Container::Done d) { c.stop(kill, timeout, std::move(d)); };
}

} // namespace

void run_start(Registry& registry, EventLoop& loop, const Selection& sel, RunDone done) {
    auto r = std::make_shared<Run>(
        registry, start_plan(candidates(registry), sel),
        [](Container& c, Container::Done d) { c.start(std::move(d)); }, false, std::move(done));
    r->loop = &loop;
    run(r);
}

void run_stop(Registry& registry, const Selection& sel, bool kill, unsigned timeout, RunDone done) {
    run(std::make_shared<Run>(registry, stop_plan(candidates(registry), sel),
                              stop_action(kill, timeout), true, std::move(done)));
}

void run_stop_all(Registry& registry, bool kill, unsigned timeout, RunDone done) {
    run(std::make_shared<Run>(registry, shutdown_plan(candidates(registry)),
                              stop_action(kill, timeout), true, std::move(done)));
}

} // namespace lxcd::autostart
