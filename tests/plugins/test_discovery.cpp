// discover_plugins and the standard search path: order, environment, duplicates, broken manifests, ABI.
#include "manifest_fixture.h"

#include "consilium/plugins/discovery.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <optional>

namespace {

using namespace consilium::test::plugintest;
using consilium::plugins::DiscoveredPlugin;
using consilium::plugins::discover_plugins;
using consilium::plugins::SearchPath;

// Sets an environment variable for the scope of a case, restoring the old value after.
class EnvVar {
public:
    EnvVar(const char* name, const std::optional<std::string>& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) setenv(name, value->c_str(), 1);
        else unsetenv(name);
    }
    ~EnvVar() {
        if (old_) setenv(name_, old_->c_str(), 1);
        else unsetenv(name_);
    }
    EnvVar(const EnvVar&) = delete;
    EnvVar& operator=(const EnvVar&) = delete;
private:
    const char* name_;
    std::optional<std::string> old_;
};

const DiscoveredPlugin* by_folder(const std::vector<DiscoveredPlugin>& all, const fs::path& folder) {
    for (const auto& p : all)
        if (fs::weakly_canonical(p.folder) == fs::weakly_canonical(folder)) return &p;
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(discovery)

BOOST_AUTO_TEST_CASE(good_broken_and_unsupported_abi) {
    consilium::test::ScratchDir dir{"discovery"};
    write_plugin(dir.path(), "good", valid_native("org.example.good"));
    auto broken = valid_native("org.example.broken");
    broken["model"].erase("intended_use");
    write_plugin(dir.path(), "broken", broken);
    write_plugin(dir.path(), "garbage", std::string("not json"));
    auto abi = valid_native("org.example.abi");
    abi["abi_version"] = 999;
    write_plugin(dir.path(), "abi", abi);
    auto cmd = valid_command("org.example.cmd");
    cmd["abi_version"] = 999;  // command plugins have no ABI: ignored
    write_plugin(dir.path(), "cmd", cmd);
    fs::create_directories(dir / "no-manifest");

    auto all = discover_plugins(SearchPath{{dir.path()}});
    BOOST_TEST(all.size() == 5u);
    auto good = by_folder(all, dir / "good");
    BOOST_REQUIRE(good);
    BOOST_TEST(good->available);
    BOOST_TEST(good->id == "org.example.good");
    BOOST_TEST(good->reason.empty());

    auto bad = by_folder(all, dir / "broken");
    BOOST_REQUIRE(bad);
    BOOST_TEST(!bad->available);
    BOOST_TEST(bad->id == "org.example.broken");  // still named by the id the file gives
    BOOST_TEST(bad->reason.find("'model.intended_use'") != std::string::npos, bad->reason);

    auto garbage = by_folder(all, dir / "garbage");
    BOOST_REQUIRE(garbage);
    BOOST_TEST(!garbage->available);
    BOOST_TEST(garbage->id == "garbage");  // no id readable: the folder's name
    BOOST_TEST(garbage->reason.find("not valid JSON") != std::string::npos, garbage->reason);

    auto unsupported = by_folder(all, dir / "abi");
    BOOST_REQUIRE(unsupported);
    BOOST_TEST(!unsupported->available);
    BOOST_TEST(unsupported->reason.find("ABI version 999") != std::string::npos, unsupported->reason);

    auto command = by_folder(all, dir / "cmd");
    BOOST_REQUIRE(command);
    BOOST_TEST(command->available);
}

BOOST_AUTO_TEST_CASE(the_first_folder_holding_an_id_wins) {
    consilium::test::ScratchDir dir{"discovery"};
    auto first = write_plugin(dir / "one", "news2", valid_native("org.example.news2")).parent_path();
    auto second = write_plugin(dir / "two", "news2-copy", valid_native("org.example.news2")).parent_path();
    write_plugin(dir / "two", "other", valid_native("org.example.other"));

    auto all = discover_plugins(SearchPath{{dir / "one", dir / "missing", dir / "two"}});
    BOOST_REQUIRE(all.size() == 3u);
    BOOST_TEST(all[0].folder == first);
    BOOST_TEST(all[0].available);
    auto dup = by_folder(all, second);
    BOOST_REQUIRE(dup);
    BOOST_TEST(!dup->available);
    BOOST_TEST(dup->reason == "duplicate of " + first.string());

    // The other order: the other folder wins.
    all = discover_plugins(SearchPath{{dir / "two", dir / "one"}});
    BOOST_TEST(by_folder(all, second)->available);
    BOOST_TEST(!by_folder(all, first)->available);
    BOOST_TEST(by_folder(all, first)->reason == "duplicate of " + second.string());
}

BOOST_AUTO_TEST_CASE(a_folder_named_twice_is_searched_once) {
    consilium::test::ScratchDir dir{"discovery"};
    write_plugin(dir / "one", "news2", valid_native());
    auto all = discover_plugins(SearchPath{{dir / "one", dir / "one" / ".", dir / "one"}});
    BOOST_TEST(all.size() == 1u);
    BOOST_TEST(all[0].available);
}

BOOST_AUTO_TEST_CASE(standard_search_path_order_and_environment) {
    consilium::test::ScratchDir dir{"discovery"};
    EnvVar path("CONSILIUM_PLUGIN_PATH", (dir / "a").string() + "::" + (dir / "b").string());
    EnvVar xdg("XDG_DATA_HOME", (dir / "xdg").string());
    auto sp = SearchPath::standard(dir / "ws", dir / "prefix" / "bin" / "consilium-cli");
    const std::vector<fs::path> expected = {dir / "a", dir / "b", dir / "ws" / "plugins",
                                            dir / "xdg" / "consilium" / "plugins",
                                            dir / "prefix" / "lib" / "consilium" / "plugins"};
    BOOST_TEST(sp.folders == expected, boost::test_tools::per_element());

    {
        EnvVar no_path("CONSILIUM_PLUGIN_PATH", std::nullopt);
        EnvVar no_xdg("XDG_DATA_HOME", std::nullopt);
        EnvVar home("HOME", (dir / "home").string());
        auto plain = SearchPath::standard(std::nullopt, dir / "prefix" / "bin" / "consilium-cli");
        const std::vector<fs::path> fallback = {dir / "home" / ".local" / "share" / "consilium" / "plugins",
                                                dir / "prefix" / "lib" / "consilium" / "plugins"};
        BOOST_TEST(plain.folders == fallback, boost::test_tools::per_element());
    }

    // The environment's folder comes before the workspace's, so its copy of an id wins.
    write_plugin(dir / "ws" / "plugins", "news2", valid_native());
    write_plugin(dir / "b", "news2", valid_native());
    write_plugin(dir / "prefix" / "lib" / "consilium" / "plugins", "shipped", valid_native("org.consilium.shipped"));
    auto all = discover_plugins(sp);
    BOOST_REQUIRE(all.size() == 3u);
    BOOST_TEST(all[0].folder == dir / "b" / "news2");
    BOOST_TEST(all[0].available);
    BOOST_TEST(!all[1].available);
    BOOST_TEST(all[1].reason == "duplicate of " + (dir / "b" / "news2").string());
    BOOST_TEST(all[2].id == "org.consilium.shipped");
    BOOST_TEST(all[2].available);
}

BOOST_AUTO_TEST_SUITE_END()
