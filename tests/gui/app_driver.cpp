#include "app_driver.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace consilium::test::gui {

double Screen::spread(int x, int y, int w, int h) const {
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int yy = y; yy < y + h && yy < height; ++yy)
        for (int xx = x; xx < x + w && xx < width; ++xx) {
            const auto* p = at(xx, yy);
            const double g = (p[0] + p[1] + p[2]) / 3.0;
            sum += g;
            sum2 += g * g;
            ++n;
        }
    if (n == 0) return 0;
    const double mean = sum / n;
    return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
}

int Screen::count_colour(int x, int y, int w, int h, int r, int g, int b, int tolerance) const {
    int n = 0;
    for (int yy = y; yy < y + h && yy < height; ++yy)
        for (int xx = x; xx < x + w && xx < width; ++xx) {
            const auto* p = at(xx, yy);
            if (std::abs(p[0] - r) <= tolerance && std::abs(p[1] - g) <= tolerance && std::abs(p[2] - b) <= tolerance) ++n;
        }
    return n;
}

double Screen::changed_fraction(const Screen& other, int x, int y, int w, int h) const {
    int changed = 0, n = 0;
    for (int yy = y; yy < y + h && yy < height && yy < other.height; ++yy)
        for (int xx = x; xx < x + w && xx < width && xx < other.width; ++xx, ++n) {
            const auto *p = at(xx, yy), *q = other.at(xx, yy);
            if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) > 24) ++changed;
        }
    return n ? static_cast<double>(changed) / n : 0.0;
}

App::App(const std::vector<std::string>& args, const std::filesystem::path& log) {
    const char* bin = std::getenv("CONSILIUM_BIN");
    BOOST_REQUIRE_MESSAGE(bin, "CONSILIUM_BIN is not set: run this suite through ctest");
    std::vector<std::string> argv{std::string(bin) + "/consilium"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = posix_spawn(&pid_, cargv[0], &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    BOOST_REQUIRE_MESSAGE(rc == 0, "cannot start " << argv[0]);
}

App::~App() {
    if (!exited_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

bool App::running() {
    if (exited_) return false;
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        exited_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return false;
    }
    return true;
}

int App::wait_exit(int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
        if (!running()) return status_;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
}

bool xdo(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"xdotool"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv).exit_code == 0;
}

std::string find_window(const std::string& name_regex, int seconds) {
    for (int i = 0; i < seconds * 4; ++i) {
        auto r = run_program({"xdotool", "search", "--onlyvisible", "--name", name_regex});
        if (r.exit_code == 0 && !r.out.empty()) return r.out.substr(0, r.out.find('\n'));
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return "";
}

void type(const std::string& text) { xdo({"type", "--delay", "30", text}); }
void key(const std::string& keys) { xdo({"key", "--delay", "60", keys}); }
void click(int x, int y, int button) {
    xdo({"mousemove", "--sync", std::to_string(x), std::to_string(y)});
    xdo({"click", std::to_string(button)});
}
void drag(int x0, int y0, int x1, int y1, int button) {
    xdo({"mousemove", "--sync", std::to_string(x0), std::to_string(y0)});
    xdo({"mousedown", std::to_string(button)});
    for (int i = 1; i <= 5; ++i)
        xdo({"mousemove", std::to_string(x0 + (x1 - x0) * i / 5), std::to_string(y0 + (y1 - y0) * i / 5)});
    xdo({"mouseup", std::to_string(button)});
}
void settle(int milliseconds) { std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds)); }

Screen screenshot(const std::filesystem::path& artifact) {
    std::filesystem::create_directories(artifact.parent_path());
    auto r = run_program({"import", "-window", "root", "PNG24:" + artifact.string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "screenshot failed: " << r.err);
    const auto ppm = artifact.string() + ".ppm";
    r = run_program({"convert", artifact.string(), "-depth", "8", "ppm:" + ppm});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "convert failed: " << r.err);
    std::ifstream in(ppm, std::ios::binary);
    std::string magic;
    Screen s;
    int maxval = 0;
    in >> magic >> s.width >> s.height >> maxval;
    in.get();
    s.rgb.resize(static_cast<std::size_t>(s.width) * s.height * 3);
    in.read(reinterpret_cast<char*>(s.rgb.data()), static_cast<std::streamsize>(s.rgb.size()));
    std::filesystem::remove(ppm);
    BOOST_REQUIRE(magic == "P6" && in);
    return s;
}

}  // namespace consilium::test::gui

namespace consilium::test::gui {

std::vector<Widget> read_widget_map(const std::filesystem::path& file) {
    std::vector<Widget> out;
    std::ifstream in(file);
    std::string row;
    while (std::getline(in, row)) {
        std::vector<std::string> f;
        std::size_t start = 0;
        for (std::size_t tab; (tab = row.find('\t', start)) != std::string::npos; start = tab + 1) f.push_back(row.substr(start, tab - start));
        f.push_back(row.substr(start));
        if (f.size() < 8) continue;
        Widget w{f[0], f[1], f[2]};
        if (f.size() > 8) w.value = f[8];
        w.clipped = f.size() > 9 && f[9] == "clipped";
        w.x = std::atoi(f[3].c_str());
        w.y = std::atoi(f[4].c_str());
        w.w = std::atoi(f[5].c_str());
        w.h = std::atoi(f[6].c_str());
        w.enabled = f[7] == "1";
        out.push_back(w);
    }
    return out;
}

std::optional<Widget> wait_widget(const std::filesystem::path& map, const std::string& kind, const std::string& prefix,
                                  int seconds, bool by_label, bool enabled) {
    auto find = [&]() -> std::optional<Widget> {
        for (const auto& w : read_widget_map(map)) {
            const std::string& key = by_label ? w.label : w.name;
            if (w.kind == kind && key.rfind(prefix, 0) == 0 && (!enabled || w.enabled) && w.w > 0 && w.h > 0) return w;
        }
        return std::nullopt;
    };
    for (int i = 0; i < seconds * 4; ++i) {
        if (auto w = find()) {
            // Only a control that stayed put over a map refresh (300 ms) is clicked: panels that
            // fill in or scroll after a change would otherwise be clicked where they were.
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            auto again = find();
            if (again && again->x == w->x && again->y == w->y && again->w == w->w && again->h == w->h) return again;
            continue;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return std::nullopt;
}

void click(const Widget& w) { click(w.cx(), w.cy(), 1); }

std::filesystem::path artifacts() {
    const char* bin = std::getenv("CONSILIUM_BIN");
    return std::filesystem::path(bin ? bin : ".").parent_path() / "test-artifacts" / "gui";
}

std::string read_all(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace consilium::test::gui
