#include "test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace consilium::test {

namespace {
std::filesystem::path scratch_root() {
    const char* t = std::getenv("CONSILIUM_TEST_TMP");
    return t && *t ? std::filesystem::path(t) : std::filesystem::temp_directory_path() / "consilium-tests";
}
}  // namespace

ScratchDir::ScratchDir(const std::string& name) {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = scratch_root() / (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                              std::to_string(rd() % 100000));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::optional<std::filesystem::path> shared_data() {
    const char* s = std::getenv("CONSILIUM_SHARED");
    std::filesystem::path shared = s && *s ? std::filesystem::path(s) : std::filesystem::path("../shared");
    if (std::filesystem::is_directory(shared / "data")) return shared / "data";
    return std::nullopt;
}

boost::test_tools::assertion_result SharedDataAvailable::operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result r(shared_data().has_value());
    if (!r) {
        const char* s = std::getenv("CONSILIUM_SHARED");
        r.message() << "the shared test data folder " << (s ? s : "../shared") << "/data is absent";
    }
    return r;
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

RunResult run_program(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                      const std::string& input, const std::vector<std::string>& unset_env) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
        posix_spawn_file_actions_addclose(&actions, fd);

    // Environment: ours, minus unset_env and anything overridden, plus env.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        std::string kv = *e;
        std::string key = kv.substr(0, kv.find('='));
        bool drop = env.count(key) > 0;
        for (const auto& u : unset_env) drop = drop || u == key;
        if (!drop) env_strings.push_back(kv);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, args;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_copy = argv;
    for (auto& a : argv_copy) args.push_back(a.data());
    args.push_back(nullptr);

    // setsid: the child has no controlling terminal, as under CI.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    RunResult result;
    std::size_t written = 0;
    if (input.empty()) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
    }
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);
    bool out_open = true, err_open = true;
    char buf[65536];
    while (out_open || err_open) {
        pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
        int n = in_pipe[1] >= 0 ? 3 : 2;
        if (!out_open) fds[0].fd = -1;
        if (!err_open) fds[1].fd = -1;
        poll(fds, static_cast<nfds_t>(n), 1000);
        if (n == 3 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = (fds[2].revents & POLLOUT) ? write(in_pipe[1], input.data() + written, input.size() - written) : -1;
            if (w > 0) written += static_cast<std::size_t>(w);
            if (w <= 0 || written == input.size()) {
                close(in_pipe[1]);
                in_pipe[1] = -1;
            }
        }
        for (int i = 0; i < 2; ++i) {
            bool& open = i == 0 ? out_open : err_open;
            if (!open || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t r = read(i == 0 ? out_pipe[0] : err_pipe[0], buf, sizeof buf);
            if (r > 0) (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(r));
            else if (r == 0 || errno != EAGAIN) open = false;
        }
    }
    if (in_pipe[1] >= 0) close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

}  // namespace consilium::test
