#pragma once
// `export-finding SUGGESTION --out DIR` and `pacs store NAME SUGGESTION`: reviewed image findings
// as DICOM SR/SEG, to a folder or to a PACS node (see cmd_export_finding.cpp).
#include "commands.h"

namespace consilium::cli {

int cmd_export_finding(const Context& ctx, const Words& words);
int pacs_store(const Context& ctx, const Words& words);  // `pacs store`, dispatched by cmd_pacs

}  // namespace consilium::cli
