// The host's check of mask evidence (PLUGINS.md: "mask geometry equal to the volume's") and its
// keeping in the workspace, with command plugins that write a given mask.nrrd: a mask of the
// volume's geometry (LPS, or RAS converted) is copied to <evidence>/run-<id>/ and the stored item
// names it there; any other mask makes the run invalid_output, naming the file and what differs,
// with nothing stored and nothing kept.
#include "approval_fixture.h"
#include "evidence_fixture.h"
#include "manifest_fixture.h"

#include "consilium/plugins/discovery.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace {

using namespace consilium::decision;
using consilium::test::evidence::SharedVolume;
using nlohmann::json;
namespace cp = consilium::plugins;
namespace fs = std::filesystem;

// The volume: 4 x 4 x 3 voxels of 0.5 x 0.75 x 2 mm at LPS (10, -20, 30).
const std::string kGood = "type: uchar\ndimension: 3\nspace: left-posterior-superior\nsizes: 4 4 3\n"
                          "space directions: (0.5,0,0) (0,0.75,0) (0,0,2)\nkinds: domain domain domain\n"
                          "encoding: raw\nspace origin: (10,-20,30)\n";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::logic_error("'" + from + "' is not in the header");
    return text.replace(at, from.size(), to);
}

// Shell commands writing mask.nrrd in $out: the NRRD magic, `header`, a blank line, `bytes` zeros
// (gzip-compressed with `gzip`).
std::string nrrd(const std::string& header, int bytes, bool gzip = false) {
    std::string printf_arg;
    for (char c : header) printf_arg += c == '\n' ? std::string("\\n") : std::string(1, c);
    return "printf 'NRRD0004\\n" + printf_arg + "\\n' > \"$out/mask.nrrd\"\nhead -c " + std::to_string(bytes) +
           " /dev/zero " + (gzip ? "| gzip -c " : "") + ">> \"$out/mask.nrrd\"\n";
}

const std::string kGzip = replace(kGood, "encoding: raw", "encoding: gzip");

struct MaskFixture : consilium::test::evidence::StoreFixture {
    SharedVolume volume{{4, 4, 3}, {0.5, 0.75, 2.0}, {10, -20, 30}, std::vector<std::int16_t>(48, -1000)};

    // A command plugin that runs `script` (with $out set), then outputs one finding with mask evidence.
    cp::DiscoveredPlugin plugin(const std::string& name, const std::string& script) {
        using namespace consilium::test::plugintest;
        auto m = valid_command("org.test.mask." + name);
        m["command"] = {"sh", "run.sh"};
        m["inputs"]["volume"] = true;
        m["outputs"] = {"finding"};
        auto file = write_plugin(dir / "maskplugins", name, m);
        consilium::test::write_file(
            file.parent_path() / "run.sh",
            "while [ $# -gt 0 ]; do case $1 in --output) out=$2;; esac; shift; done\n" + script +
                "printf '%s' '{\"suggestions\":[{\"kind\":\"finding\",\"summary\":\"outlined\",\"evidence\":"
                "[{\"type\":\"mask\",\"file\":\"mask.nrrd\"},{\"type\":\"roi\",\"center_lps\":[11,-19,32],"
                "\"size_mm\":[1,1,1]}]}]}' > \"$out/suggestions.json\"\n");
        for (auto& p : cp::discover_plugins(cp::SearchPath{{dir / "maskplugins"}}))
            if (p.id == "org.test.mask." + name) return p;
        BOOST_FAIL("mask plugin not discovered");
        return {};
    }

    cp::RunResult run(const cp::DiscoveredPlugin& p) {
        cp::RunOptions o;
        o.evidence_dir = dir / "evidence";
        return consilium::test::run_approved(*store, *session, p, patient, volume.input, o);
    }
};

BOOST_FIXTURE_TEST_SUITE(mask_evidence, MaskFixture)

BOOST_AUTO_TEST_CASE(mask_of_the_volume_geometry_is_kept_in_the_workspace) {
    for (const std::string variant : {"lps", "ras", "gzip"}) {
        BOOST_TEST_CONTEXT(variant) {
            const auto header = variant == "lps"  ? kGood
                                : variant == "gzip" ? kGzip
                                                    : replace(replace(replace(kGood, "left-posterior-superior", "right-anterior-superior"),
                                                                      "(0.5,0,0) (0,0.75,0)", "(-0.5,0,0) (0,-0.75,0)"),
                                                              "(10,-20,30)", "(-10,20,30)");
            const auto r = run(plugin("good-" + variant, nrrd(header, 48, variant == "gzip")));
            BOOST_TEST_INFO("reason: " << r.reason);
            BOOST_REQUIRE(r.status == RunStatus::succeeded);
            const auto name = "evidence/run-" + std::to_string(r.run_id) + "/mask.nrrd";
            if (variant != "gzip")  // the magic line, header, blank line, voxels
                BOOST_TEST(fs::file_size(dir / name) == 9 + header.size() + 1 + 48);
            BOOST_TEST(consilium::test::read_file(dir / name).find(header) == 9u);
            const auto stored = store->suggestions().find(r.suggestions.at(0));
            BOOST_REQUIRE(stored);
            BOOST_TEST(json::parse(stored->evidence_json)[0]["file"] == name);
        }
    }
}

// A mask that is a link (to a file of the host's): the whole output is refused before masks are read.
BOOST_AUTO_TEST_CASE(a_mask_that_is_a_symbolic_link_is_refused) {
    const auto r = run(plugin("symlink", "ln -s /etc/hostname \"$out/mask.nrrd\"\n"));
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::invalid_output);
    BOOST_TEST(r.reason.find("symbolic link (mask.nrrd)") != std::string::npos);
    BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
}

BOOST_AUTO_TEST_CASE(mask_of_another_geometry_makes_the_run_invalid) {
    struct Case {
        std::string name, script, words;
    };
    const std::vector<Case> cases = {
        {"sizes", nrrd(replace(kGood, "sizes: 4 4 3", "sizes: 4 4 2"), 32), "its sizes 4 4 2 differ from the volume's 4 4 3"},
        {"origin", nrrd(replace(kGood, "(10,-20,30)", "(10,-20,31)"), 48), "space origin (10, -20, 31) differs"},
        {"spacing", nrrd(replace(kGood, "(0,0,2)", "(0,0,2.5)"), 48), "space direction along k (0, 0, 2.5) differs"},
        {"flipped", nrrd(replace(kGood, "(0.5,0,0)", "(-0.5,0,0)"), 48), "space direction along i"},
        {"truncated", nrrd(kGood, 40), "holds 40 bytes of voxels where its sizes and type need 48"},
        {"long", nrrd(kGood, 60), "holds more than the 48 bytes of voxels"},
        {"gzip-short", nrrd(kGzip, 40, true), "holds 40 bytes of voxels where its sizes and type need 48"},
        {"gzip-long", nrrd(kGzip, 4800, true), "holds more than the 48 bytes of voxels"},
        {"gzip-corrupt", nrrd(kGzip, 0) + "echo 'not gzip data' >> \"$out/mask.nrrd\"\n", "gzip data is corrupt"},
        {"float", nrrd(replace(kGood, "type: uchar", "type: float"), 192), "floating-point"},
        {"scanner", nrrd(replace(kGood, "left-posterior-superior", "scanner-xyz"), 48), "space 'scanner-xyz'"},
        {"detached", nrrd(kGood + "data file: voxels.raw\n", 0), "separate file"},
        {"missing", "", "no such file"},
        {"text", "echo hello > \"$out/mask.nrrd\"\n", "not a readable NRRD"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            const auto r = run(plugin(c.name, c.script));
            BOOST_TEST_INFO("reason: " << r.reason);
            BOOST_TEST(r.status == RunStatus::invalid_output);
            BOOST_TEST(r.reason.find("mask evidence 'mask.nrrd'") != std::string::npos);
            BOOST_TEST(r.reason.find(c.words) != std::string::npos);
            BOOST_TEST(r.suggestions.empty());
            BOOST_TEST(!fs::exists(dir / "evidence" / ("run-" + std::to_string(r.run_id))));
            const auto run = store->suggestions().find_run(r.run_id);
            BOOST_REQUIRE(run);
            BOOST_TEST(run->status == RunStatus::invalid_output);
            BOOST_TEST(!run->outputs_hash);
        }
    }
    BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
