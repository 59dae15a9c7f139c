// consilium-cli: the headless tool over the same libraries as the workstation.
// The contract it keeps is ../shared/CLI.md (exit codes: 0 done, 1 check failed, 2 bad usage or
// input, 3 not permitted, 4 not found).
#include "commands.h"
#include "cmd_export_finding.h"
#include "cmd_measurements.h"
#include "cmd_pacs.h"
#include "cmd_policy.h"

#include "consilium/decision/errors.h"

#include <unistd.h>

#include <cstring>
#include <iostream>
#include <map>

#ifndef CONSILIUM_VERSION
#define CONSILIUM_VERSION "0.0.0"
#endif

namespace {

using namespace consilium;
using cli::Context;
using cli::Words;

const char* kUsage =
    "usage: consilium-cli [--workspace DIR] [--user NAME] [--json] COMMAND ...\n"
    "commands:\n"
    "  --version\n"
    "  init [--demo]\n"
    "  user add NAME --role radiologist|physician|developer|admin    (password: first line of stdin)\n"
    "  user list\n"
    "  import PATH...                                                (FHIR R4 JSON: Bundle, resource, NDJSON; DICOM files/folders)\n"
    "  patients\n"
    "  timeline PATIENT [--kind K]... [--from DATE] [--to DATE]\n"
    "  scan PATH                                                     (DICOM headers: studies, series, warnings)\n"
    "  volume [PATH] [--series UID]                                  (loads one series or NIfTI/NRRD/MHA: geometry, values;\n"
    "                                                                 no PATH: the workspace's series UID)\n"
    "  render PATH --view axial|coronal|sagittal|3d [--position X,Y,Z | --slice N] [--preset NAME | --window W --level L]\n"
    "         [--overlay MASK] [--roi X,Y,Z,DX,DY,DZ]... [--marker X,Y,Z]... [--crosshair] [--size WxH] --out FILE.png\n"
    "  suggestions PATIENT [--status proposed|accepted|modified|rejected]\n"
    "  review SUGGESTION accept | reject --reason TEXT | modify --reason TEXT [--reason-code CODE] [--concept SYSTEM|CODE|DISPLAY] [--note TEXT] [--confirm-against-earlier]\n"
    "  review SUGGESTION withdraw --reason TEXT                    (your own decision, the same day)\n"
    "         (--reason-code may stand for or accompany --reason: reject clinically_incorrect|not_applicable|\n"
    "          insufficient_evidence|already_known|other; modify size_corrected|location_corrected|different_finding|other)\n"
    "  plugins list | plugins info ID | plugins enable ID | plugins disable ID [--reason TEXT]\n"
    "  plugins approve ID                                            (admin: its content hash, so that it may run; audited)\n"
    "  plugins stats ID                                              (developer, admin: runs, decisions, reasons per version)\n"
    "  plugins run ID --patient PATIENT [--series UID] [--timeout S]   (out of process; exit 0 only when it succeeded)\n"
    "      [--outside-intended-use]                                  (clinicians: run although the patient is outside the\n"
    "                                                                model's intended population; audited, suggestions marked)\n"
    "  audit verify | audit log [--since ISO] [--user U] [--action A] | audit export --format fhir|syslog [--out FILE]\n"
    "  pacs add NAME --dicomweb URL | --dimse AET@HOST:PORT [--calling-aet AET]   (admin)\n"
    "  pacs list | pacs echo NAME | pacs query NAME [--patient-id ID] [--modality M] [--date FROM-TO]\n"
    "  pacs retrieve NAME STUDY_UID                                  (into the workspace, as import does)\n"
    "  pacs store NAME SUGGESTION                                    (a reviewed finding as DICOM SR/SEG to the node)\n"
    "  export-finding SUGGESTION --out DIR                           (a reviewed finding as DICOM sr.dcm, seg.dcm)\n"
    "  measurements SERIES_UID                                       (the readers' distances and regions on a series)\n"
    "  policy list | policy set KEY VALUE                           (admin: the site's caps on plugin limits, audited;\n"
    "                                                                keys plugin.timeout_s .cpu_s .memory_mb .processes\n"
    "                                                                .file_size_mb .output_mb, plugin.sandbox on|off)\n"
    "environment: CONSILIUM_WORKSPACE, CONSILIUM_USER, CONSILIUM_PASSWORD, CONSILIUM_PLUGIN_PATH\n";

const std::map<std::string, int (*)(const Context&, const Words&)> kCommands = {
    {"init", cli::cmd_init},         {"user", cli::cmd_user},         {"import", cli::cmd_import},
    {"patients", cli::cmd_patients}, {"timeline", cli::cmd_timeline}, {"audit", cli::cmd_audit},
    {"scan", cli::cmd_scan},         {"volume", cli::cmd_volume},     {"render", cli::cmd_render},
    {"suggestions", cli::cmd_suggestions}, {"review", cli::cmd_review},
    {"plugins", cli::cmd_plugins},
    {"pacs", cli::cmd_pacs},
    {"export-finding", cli::cmd_export_finding},
    {"measurements", cli::cmd_measurements},
    {"policy", cli::cmd_policy},
};

std::filesystem::path own_executable(const char* argv0) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::absolute(argv0) : self;
}

int run(int argc, char** argv) {
    Context ctx;
    ctx.executable = own_executable(argv[0]);
    int i = 1;
    // Global options come before the command (a command may have options of the same name).
    for (; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&](const char* what) -> std::string {
            if (i + 1 >= argc) throw cli::UsageError(a + " needs " + what);
            return argv[++i];
        };
        if (a == "--workspace") ctx.workspace_option = next("a folder");
        else if (a.rfind("--workspace=", 0) == 0) ctx.workspace_option = a.substr(12);
        else if (a == "--user") ctx.user_option = next("a user name");
        else if (a.rfind("--user=", 0) == 0) ctx.user_option = a.substr(7);
        else if (a == "--json") ctx.json = true;
        else if (a == "--version") {
            std::cout << "consilium-cli " << CONSILIUM_VERSION << '\n';
            return 0;
        } else if (a == "--help" || a == "-h") {
            std::cout << kUsage;
            return 0;
        } else break;
    }
    if (i >= argc) throw cli::UsageError("no command given");
    auto command = kCommands.find(argv[i]);
    if (command == kCommands.end()) throw cli::UsageError(std::string("unknown command '") + argv[i] + "'");
    return command->second(ctx, Words(argv + i + 1, argv + argc));
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const cli::UsageError& e) {
        std::cerr << "consilium-cli: " << e.what() << "\n" << kUsage;
        return 2;
    } catch (const decision::InputError& e) {
        std::cerr << "consilium-cli: " << e.what() << '\n';
        return 2;
    } catch (const decision::NotPermitted& e) {
        std::cerr << "consilium-cli: not permitted: " << e.what() << '\n';
        return 3;
    } catch (const decision::NotFound& e) {
        std::cerr << "consilium-cli: not found: " << e.what() << '\n';
        return 4;
    } catch (const decision::StoreError& e) {
        std::cerr << "consilium-cli: workspace error: " << e.what() << '\n';
        return 2;
    } catch (const std::bad_alloc&) {
        std::cerr << "consilium-cli: out of memory\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "consilium-cli: " << e.what() << '\n';
        return 2;
    }
}
