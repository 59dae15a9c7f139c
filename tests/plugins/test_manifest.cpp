// parse_manifest: the valid shape, every required key, types, ids, library paths, unknown keys.
#include "manifest_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/plugins/manifest.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace {

using namespace consilium::test::plugintest;
using consilium::decision::InputError;
using consilium::plugins::Manifest;
using consilium::plugins::parse_manifest;
using consilium::plugins::PluginKind;

struct Folder {
    consilium::test::ScratchDir dir{"manifest"};
    Manifest parse(const json& m) const { return parse_manifest(write_plugin(dir.path(), "p", m)); }
    Manifest parse_text(const std::string& text) const { return parse_manifest(write_plugin(dir.path(), "p", text)); }
    // The message of the InputError parsing `m` throws (fails the case when none).
    std::string error(const json& m) const {
        try {
            parse(m);
        } catch (const InputError& e) {
            return e.what();
        }
        BOOST_ERROR("no error for " << m.dump());
        return {};
    }
};

#define CHECK_HAS(text, part) BOOST_CHECK_MESSAGE((text).find(part) != std::string::npos, "'" << (part) << "' not in: " << (text))

}  // namespace

BOOST_AUTO_TEST_SUITE(manifest)

BOOST_FIXTURE_TEST_CASE(valid_native_manifest_reads_every_field, Folder) {
    auto m = parse(valid_native());
    BOOST_TEST(m.id == "org.example.news2");
    BOOST_TEST(m.name == "NEWS2 early warning score");
    BOOST_TEST(m.version == "1.2.0");
    BOOST_TEST((m.kind == PluginKind::native));
    BOOST_TEST(m.library == "libnews2.so");
    BOOST_TEST(m.abi_version == 1);
    BOOST_TEST(m.inputs.timeline);
    BOOST_TEST(!m.inputs.volume);
    BOOST_TEST((m.outputs == std::vector<std::string>{"risk", "treatment"}));
    BOOST_TEST(m.limits.timeout_s == 30);
    BOOST_TEST(m.limits.memory_mb == 2048);
    BOOST_TEST(m.limits.output_mb == 16);  // default
    BOOST_TEST(m.model.version == "RCP-2017");
    BOOST_TEST(m.model.references.size() == 1u);
    BOOST_TEST(!m.raw_json.empty());
}

BOOST_FIXTURE_TEST_CASE(defaults_fill_what_is_left_out, Folder) {
    auto j = valid_command();
    j.erase("inputs");
    j.erase("limits");
    j["model"] = {{"version", "1"}, {"intended_use", "x"}};
    auto m = parse(j);
    BOOST_TEST((m.kind == PluginKind::command));
    BOOST_TEST((m.command == std::vector<std::string>{"python3", "run.py"}));
    BOOST_TEST(m.limits.timeout_s == 60);
    BOOST_TEST(m.limits.memory_mb == 2048);
    BOOST_TEST(m.limits.output_mb == 16);
    BOOST_TEST(!m.inputs.volume);
    BOOST_TEST(m.inputs.modalities.empty());
    BOOST_TEST(m.model.limitations.empty());
    auto shown = json::parse(consilium::plugins::manifest_json(m));
    BOOST_TEST(shown.at("inputs").at("volume") == false);
    BOOST_TEST(shown.at("limits").at("timeout_s") == 60);
}

BOOST_FIXTURE_TEST_CASE(each_missing_required_key_is_named, Folder) {
    const std::vector<std::vector<std::string>> keys = {{"id"},      {"name"},  {"version"}, {"kind"},
                                                        {"library"}, {"outputs"}, {"model"},  {"model", "version"},
                                                        {"model", "intended_use"}};
    for (const auto& path : keys) {
        auto j = valid_native();
        if (path.size() == 1) j.erase(path[0]);
        else j[path[0]].erase(path[1]);
        const std::string key = path.size() == 1 ? path[0] : path[0] + "." + path[1];
        auto message = error(j);
        CHECK_HAS(message, "'" + key + "'");
        CHECK_HAS(message, "missing");
        CHECK_HAS(message, "plugin.json");
    }
    auto j = valid_command();
    j.erase("command");
    CHECK_HAS(error(j), "'command' is missing");
}

BOOST_FIXTURE_TEST_CASE(wrong_types_are_named, Folder) {
    const std::vector<std::pair<std::string, json>> cases = {
        {"id", 42}, {"name", json::array()}, {"version", 1.2}, {"kind", true}, {"library", json::object()},
        {"outputs", "risk"}, {"abi_version", "1"}, {"model", "card"}, {"inputs", json::array()}, {"limits", 30}};
    for (const auto& [key, value] : cases) {
        auto j = valid_native();
        j[key] = value;
        auto message = error(j);
        CHECK_HAS(message, "'" + key + "'");
    }
    auto j = valid_native();
    j["inputs"]["volume"] = "yes";
    CHECK_HAS(error(j), "'inputs.volume' must be true or false");
    j = valid_native();
    j["limits"]["timeout_s"] = 2.5;
    CHECK_HAS(error(j), "'limits.timeout_s' must be an integer");
    j = valid_native();
    j["limits"]["memory_mb"] = 0;
    CHECK_HAS(error(j), "'limits.memory_mb' must be between");
    j = valid_native();
    j["model"]["references"] = {1, 2};
    CHECK_HAS(error(j), "'model.references'");
    j = valid_native();
    j["outputs"] = {"risk", "prophecy"};
    CHECK_HAS(error(j), "'outputs' holds 'prophecy'");
    j = valid_native();
    j["kind"] = "script";
    CHECK_HAS(error(j), "'kind' must be \"native\" or \"command\"");
}

BOOST_FIXTURE_TEST_CASE(ids_must_be_reverse_dns, Folder) {
    for (const std::string bad : {"news2", "Org.Example.X", "org..x", ".org.x", "org.x.", "org.ex ample", "org.ex_ample", "org/x"})
        CHECK_HAS(error(valid_native(bad)), "not reverse-DNS");
    for (const std::string good : {"t.segv", "org.example.news2", "com.a-b.c9"}) BOOST_CHECK_NO_THROW(parse(valid_native(good)));
}

BOOST_FIXTURE_TEST_CASE(library_must_stay_inside_the_folder, Folder) {
    for (const std::string bad : {"../libx.so", "/usr/lib/libx.so", "lib/../../x.so", "a/../../../etc/passwd"}) {
        auto j = valid_native();
        j["library"] = bad;
        CHECK_HAS(error(j), "'library'");
    }
    auto j = valid_native();
    j["library"] = "lib/libnews2.so";
    BOOST_TEST(parse(j).library == "lib/libnews2.so");
}

BOOST_FIXTURE_TEST_CASE(unknown_keys_are_kept_and_ignored, Folder) {
    auto j = valid_native();
    j["vendor"] = "Example Org";
    j["x-future"] = {{"nested", 1}};
    j["model"]["calibration"] = "isotonic";
    auto m = parse(j);
    auto shown = json::parse(consilium::plugins::manifest_json(m));
    BOOST_TEST(shown.at("vendor") == "Example Org");
    BOOST_TEST(shown.at("x-future").at("nested") == 1);
    BOOST_TEST(shown.at("model").at("calibration") == "isotonic");
    BOOST_TEST(shown.at("model").at("version") == "RCP-2017");
}

BOOST_FIXTURE_TEST_CASE(not_json_or_not_an_object_is_refused, Folder) {
    BOOST_CHECK_THROW(parse_text("{\"id\": "), InputError);
    BOOST_CHECK_THROW(parse_text("[1, 2]"), InputError);
    BOOST_CHECK_THROW(parse_manifest(dir / "absent" / "plugin.json"), InputError);
}

BOOST_AUTO_TEST_CASE(the_sdk_template_manifest_parses) {
    const char* file = std::getenv("CONSILIUM_TEMPLATE_MANIFEST");
    BOOST_REQUIRE_MESSAGE(file && *file, "CONSILIUM_TEMPLATE_MANIFEST is not set: run through ctest");
    auto m = parse_manifest(file);
    BOOST_TEST(m.id == "org.example.template");
    BOOST_TEST((m.kind == PluginKind::native));
    BOOST_TEST(m.abi_version == consilium::plugins::kSupportedAbiVersion);
}

BOOST_AUTO_TEST_SUITE_END()
