#pragma once
// One function per top-level command. Each returns the process exit code, or throws
// (UsageError -> 2, InputError -> 2, NotPermitted -> 3, NotFound -> 4), see main.cpp.
#include "context.h"

#include "consilium/decision/fhir_import.h"

#include <string>
#include <vector>

namespace consilium::cli {

using Words = std::vector<std::string>;

int cmd_init(const Context& ctx, const Words& words);
int cmd_user(const Context& ctx, const Words& words);
int cmd_import(const Context& ctx, const Words& words);
int cmd_patients(const Context& ctx, const Words& words);
int cmd_timeline(const Context& ctx, const Words& words);
int cmd_audit(const Context& ctx, const Words& words);
int cmd_scan(const Context& ctx, const Words& words);
int cmd_volume(const Context& ctx, const Words& words);
int cmd_render(const Context& ctx, const Words& words);
int cmd_suggestions(const Context& ctx, const Words& words);
int cmd_review(const Context& ctx, const Words& words);
int cmd_plugins(const Context& ctx, const Words& words);

// Shared by init --demo: imports FHIR files as `session`, printing nothing.
decision::ImportSummary import_fhir_paths(decision::Store& store, const decision::Session& session,
                                          const std::vector<std::string>& paths);

}  // namespace consilium::cli
