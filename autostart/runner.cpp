#include "runner.hpp"

#include "log.hpp"
#include "readiness.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

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

using Clock = std::chrono::steady_clock;

// One walk over a plan's levels; owned by the callbacks that continue it.
struct Run : std::enable_shared_from_this<Run> {
    using Action = std::function<void(Container&, Container::Done)>;

    Registry& registry;
    std::vector<Level> levels;
    Action action;
    bool want_active = false; // which containers a step acts on
    RunDone done;
    // Starts only: how to wait after a successful start that has a delay.
    EventLoop* loop = nullptr;
    bool until_ready = false;

    // At most this many actions of a level at once (starts: each costs CPU here and a
    // job in systemd, which runs them one after the other, so more only thrash).
    size_t window = SIZE_MAX;
    // Starts: once a level is launched and none of it waits a delay, the next level's
    // first container is staged (Container::stage): its supervisor and scope are made
    // while this level starts, and its init runs only when its turn comes, as in LXC.
    bool stage_ahead = false;
    bool next_staged = false; // for the current level

    size_t next = 0;
    size_t pending = 0;   // steps of the current level not finished yet
    size_t in_flight = 0; // of them, actions not answered yet
    size_t cursor = 0;    // the current level's next step to launch
    std::vector<std::string> failed;
    std::vector<EventSource> delays;
    std::vector<std::unique_ptr<ReadinessWait>> readiness;

    Run(Registry& r, std::vector<Level> l, Action a, bool active, RunDone d)
        : registry(r), levels(std::move(l)), action(std::move(a)), want_active(active),
          done(std::move(d)) {}

    void run_levels() {
        while (next < levels.size()) {
            // Held while the level is launched, so that a step finishing at once
            // cannot move on to the next level before its siblings are started.
            pending = 1;
            cursor = 0;
            next_staged = false;
            ++next;
            launch_more();
            if (--pending > 0)
                return; // the last step to finish continues
        }
        done(failed);
    }

    void launch_more() {
        const Level& level = levels[next - 1];
        while (cursor < level.size() && in_flight < window)
            launch(level[cursor++]);
        if (stage_ahead && !next_staged && cursor == level.size() && next < levels.size() &&
            !delays_in(level)) {
            next_staged = true;
            if (Container* c = registry.find(levels[next].front().name))
                c->stage();
        }
    }

    static bool delays_in(const Level& level) {
        return std::any_of(level.begin(), level.end(), [](const Step& s) { return s.delay > 0; });
    }

    void launch(const Step& s) {
        Container* c = registry.find(s.name);
        // Gone, or already where we want it: no delay. A staged one is still to start.
        if (!c || (c->active() != want_active && !c->staged()))
            return;
        pending++;
        in_flight++;
        try {
            action(*c, [self = shared_from_this(), s](const std::optional<Error>& err) {
                self->acted(s, err);
            });
        } catch (const Error& e) {
            report(s.name, e);
            pending--;
            in_flight--;
        }
    }

    void acted(const Step& s, const std::optional<Error>& err) {
        in_flight--;
        launch_more(); // before this step is done: the level must not end meanwhile
        if (err) {
            report(s.name, *err);
        } else if (s.delay > 0 && loop) {
            // LXC: the delay follows a successful start only.
            wait_after(s);
            return;
        }
        step_done();
    }

    void wait_after(const Step& s) {
        // Drops its hold on the run once called: the timer or wait that calls it is the
        // run's own and must not keep it alive.
        auto resume = [self = shared_from_this()]() mutable {
            std::exchange(self, nullptr)->step_done();
        };
        Container* c = registry.find(s.name);
        if (until_ready && c && c->init_pid() > 0) {
            readiness.push_back(std::make_unique<ReadinessWait>(
                *loop, c->init_pid(), std::chrono::seconds(s.delay),
                [name = s.name, resume](bool ready) mutable {
                    if (!ready)
                        log::container(log::Level::Notice, name,
                                       "autostart: not ready within lxc.start.delay, going on");
                    resume();
                }));
            return;
        }
        delays.push_back(loop->add_timer(std::chrono::seconds(s.delay), resume));
    }

    void step_done() {
        if (--pending == 0)
            run_levels();
    }

    void report(const std::string& name, const Error& e) {
        log::container(log::Level::Error, name, std::string("autostart: ") + e.what());
        failed.push_back(name);
    }
};

void run(std::shared_ptr<Run> r) {
    r->run_levels();
}

// Each stop gets the halt signal and `timeout`; in a parallel shutdown never beyond
// the run's one deadline (0 s left: the stop signal at once).
Run::Action stop_action(const AutostartSettings& settings, bool kill, unsigned timeout) {
    if (!settings.parallel_shutdown)
        return [kill, timeout](Container& c, Container::Done d) {
            c.stop(kill, timeout, std::move(d));
        };
    auto deadline = Clock::now() + settings.shutdown_timeout;
    return [kill, timeout, deadline](Container& c, Container::Done d) {
        auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
        auto bounded = static_cast<unsigned>(std::clamp<int64_t>(left.count(), 0, timeout));
        c.stop(kill, bounded, std::move(d));
    };
}

void run_stop_plan(Registry& registry, const AutostartSettings& settings,
                   const std::vector<Step>& plan, bool kill, unsigned timeout, RunDone done) {
    run(std::make_shared<Run>(registry, levels(plan, settings.parallel_shutdown),
                              stop_action(settings, kill, timeout), true, std::move(done)));
}

} // namespace

void run_start(Registry& registry, EventLoop& loop, const AutostartSettings& settings,
               const Selection& sel, RunDone done) {
    auto r = std::make_shared<Run>(
        registry, levels(start_plan(candidates(registry), sel), settings.parallel_start),
        [](Container& c, Container::Done d) { c.start(std::move(d)); }, false, std::move(done));
    r->loop = &loop;
    r->until_ready = settings.delay_until_ready;
    r->window = std::max(4u, 2 * std::thread::hardware_concurrency());
    r->stage_ahead = true;
    run(r);
}

void run_stop(Registry& registry, const AutostartSettings& settings, const Selection& sel,
              bool kill, unsigned timeout, RunDone done) {
    run_stop_plan(registry, settings, stop_plan(candidates(registry), sel), kill, timeout,
                  std::move(done));
}

void run_stop_all(Registry& registry, const AutostartSettings& settings, bool kill,
                  unsigned timeout, RunDone done) {
    run_stop_plan(registry, settings, shutdown_plan(candidates(registry)), kill, timeout,
                  std::move(done));
}

} // namespace lxcd::autostart
