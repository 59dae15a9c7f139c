#include "commands.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/dicom_import.h"
#include "consilium/decision/fhir_import.h"
#include "consilium/viewer/ct_phantom.h"
#include "import_sources.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;

// Demo users log in with their own name as password and are flagged, so nobody mistakes them
// for real accounts.
constexpr Role kDemoRoles[] = {Role::admin, Role::radiologist, Role::physician, Role::developer};
// Louis Erdman (Synthea, demo/fhir): the demo CT is his.
constexpr const char* kDemoCtPatientMrn = "55bbe118-e08d-4408-86e5-6084457500d4";

nlohmann::json make_demo(const Context& ctx, Workspace& ws) {
    Store& store = ws.store();
    auto users = store.users().list();
    for (const auto& u : users)
        if (!u.demo)
            throw InputError(ws.folder().string(),
                             "has real user accounts ('" + u.name + "'); demo users with known passwords are only "
                             "added to a new or demo workspace");
    std::optional<Session> admin;
    for (Role role : kDemoRoles) {
        const std::string name(to_string(role));
        if (!store.users().find(name)) add_user(store, admin ? &*admin : nullptr, name, role, name, true);
        if (role == Role::admin) admin = login(store, "admin", "admin");
    }
    auto demo_fhir = ctx.share_folder() / "demo" / "fhir";
    if (!std::filesystem::is_directory(demo_fhir))
        throw NotFound("the demo data is missing: no folder " + demo_fhir.string());
    auto summary = import_fhir_paths(store, *admin, {demo_fhir.string()});

    // A chest CT for the demo patient with imaging on his timeline, made by the phantom generator
    // (no real person's images ship with the product), then imported as any DICOM would be.
    int ct_instances = 0;
    if (auto louis = store.patients().find_by_mrn(kDemoCtPatientMrn)) {
        auto scratch = ws.folder() / ".demo-ct";
        std::filesystem::remove_all(scratch);
        viewer::PhantomOptions phantom;
        phantom.size = 256;
        phantom.slices = 120;
        phantom.pixel_mm = 1.5;
        phantom.slice_mm = 2.5;
        phantom.patient_id = louis->mrn;
        phantom.patient_name = "ERDMAN^LOUIS";
        phantom.patient_birth_date = "19890727";
        phantom.patient_sex = "M";
        phantom.study_date = "20210218";
        phantom.study_description = "CT CHEST (demo phantom)";
        viewer::write_ct_phantom(scratch, phantom);
        auto sources = gather_import_sources({scratch.string()});
        check_dicom_import(store, sources.dicom_studies);
        auto dicom = import_dicom(store, ws.folder(), *admin, sources.dicom_studies);
        ct_instances = dicom.instances;
        std::filesystem::remove_all(scratch);
    }
    return {{"users", nlohmann::json::array({"admin", "radiologist", "physician", "developer"})},
            {"patients", summary.patients},
            {"events", summary.events},
            {"ct_instances", ct_instances}};
}

}  // namespace

int cmd_init(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {}, {"--demo"});
    if (!args.positional.empty()) throw UsageError("init takes no arguments");
    auto folder = ctx.workspace_folder();
    const bool existed = Workspace::exists(folder);
    auto ws = Workspace::create(folder);
    if (!existed) {
        auto tx = ws.store().begin();
        ws.store().audit().append({"-", "-", "workspace.create", "workspace", folder.string(),
                                   text::json_text(nlohmann::json{{"schema", ws.store().schema_version()}})});
        tx->commit();
    }
    nlohmann::json out{{"workspace", folder.string()}, {"created", !existed}, {"schema", ws.store().schema_version()}};
    if (args.flag("--demo")) out["demo"] = make_demo(ctx, ws);
    if (ctx.json) {
        ctx.print_json(out);
    } else {
        std::cout << (existed ? "Workspace already exists: " : "Created workspace: ") << folder.string() << " (schema v"
                  << ws.store().schema_version() << ")\n";
        if (out.contains("demo"))
            std::cout << "Demo users admin, radiologist, physician, developer (password = user name); "
                      << out["demo"]["patients"].get<int>() << " demo patients with " << out["demo"]["events"].get<int>()
                      << " timeline events; a demo chest CT (" << out["demo"]["ct_instances"].get<int>()
                      << " images) for patient 3.\n";
    }
    return 0;
}

}  // namespace consilium::cli
