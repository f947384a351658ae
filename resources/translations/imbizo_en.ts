<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AskDialog</name>
    <message>
        <source>Ask a question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What do you want to know?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details: what you tried, where, what would help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no community: only the expert asked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name to ask a named expert (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expert asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching experts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The question is saved on this computer and shared at the next sync. You follow it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ask of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentGrid</name>
    <message>
        <source>Attached files</source>
        <extracomment>Tiles of the compact strip (the review queue): small, in one row that scrolls sideways.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop files here to attach them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, not downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text not read yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text searchable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the server: opening it downloads it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <source>Attachments</source>
        <extracomment>Longest side of a photo downscaled for sharing over a paid link (a few hundred KB as JPEG). Emitted with the number of files shown each time the list was (re)read. How files are opened (replaceable in tests, where no viewer exists). Fetches a file that is only on the server (``set_downloader``; None when not signed in). A compact strip (``set_compact``): small tiles in a row, only when there are files.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach photos or documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open with the system viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a copy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a copy elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downscale photos for sharing</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Store added photos at most %n pixels wide, for sending over paid links</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Keep photo location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep where a photo was taken (GPS); it is removed unless you tick this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the text of documents so search can find them…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No files yet. Add photos or documents, or drop them here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Adding %n file(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Files not attached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These files were not attached:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the record before attaching files to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a copy of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved a copy as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) is on the server and has not been downloaded to this computer. Sign in to the server to download it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading %1 (%2)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be downloaded: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Remove %n file(s) from this record?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Remove attachments</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AvailabilityBar</name>
    <message>
        <source>I am available for:</source>
        <extracomment>``respond:&lt;state&gt;:&lt;request id&gt;`` anchors under a request made of me.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available for {offer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown on your profile, {name}, and in the expert finder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have no expert profile yet: create one with your user name ({me}) as its handle.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BulkTagBar</name>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the tagging</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BulkTagDialog</name>
    <message>
        <source>Tag selected records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag the {n} selected records with a vocabulary term:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag the selected record with a vocabulary term:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a preferred or alternative label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BulkTagger</name>
    <message>
        <source>Removed “{term}” from {n} records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tagged {n} records with “{term}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{k} had it already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{k} you may not change were left as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: {n} records as they were.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogueExportFlow</name>
    <message>
        <source>Export the catalogue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>catalogue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the catalogue to {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {n} catalogue item(s) to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The catalogue export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export the catalogue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogueFlow</name>
    <message>
        <source>Import catalogue records</source>
        <extracomment>The suffixes of files the staged preview is for (catalogue records, and vocabulary CSV).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catalogue files (*.mrc *.marc *.dat *.xml *.csv *.ris);;MARC21 (*.mrc *.marc *.dat);;MARCXML (*.xml);;Catalogue CSV (*.csv);;RIS (*.ris);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CataloguePreview</name>
    <message>
        <source>Add</source>
        <extracomment>Outcome colours (muted, legible on light and dark palettes).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CataloguePreviewDialog</name>
    <message>
        <source>Import catalogue records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files being read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop reading the files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the import would do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter titles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the records by title or identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records in the files, with what the import does with each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a record to see what the import does with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The fields, side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import the records to add and update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record being imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records imported so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after the current batch; what was imported stays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not imported, with the reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records not imported, with the reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title or row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the report to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the import report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {names} and comparing it with the catalogue. Nothing is written yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all {n} records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only: {outcome} ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{files} file(s) read. The import would add {add} and update {update} record(s); {unchanged} are already in the catalogue as they are, {duplicate} would be skipped as duplicates and {rejected} cannot be imported. Nothing is written until you choose Import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import {n} record(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{outcome}&lt;/b&gt;: {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is left out; the other records can be imported. Correct it in the file and import the file again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the catalogue now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already in the catalogue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing {n} record(s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing catalogue records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported {done} of {total} records. Next: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making the imported records searchable…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{added} added, {updated} updated, {unchanged} already as they are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{added} added, {updated} updated, {unchanged} already as they were; {duplicate} duplicate(s) and {rejected} rejected record(s) not imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled; what was imported stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catalogue import finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CentrePage</name>
    <message>
        <source>Import catalogue…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MARC21, MARCXML, CSV or RIS: see what would be added, updated or skipped before importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export catalogue…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every knowledge-centre item as CSV or MARCXML</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <source>Show as table</source>
        <extracomment>Okabe and Ito&apos;s colour-blind safe qualitative palette (blue, orange, green, purple, sky, red). Grid lines above the zero line of a line chart.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show {title} as a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}, as a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show as chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommunitiesPage</name>
    <message>
        <source>Ask a question…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask a question</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommunityView</name>
    <message>
        <source>How to join</source>
        <extracomment>Texts used inside the HTML (marked for lupdate here; looked up by their source text).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facilitators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No questions yet. Ask the community one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its experts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No activity yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept this answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as librarian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None named</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing published here yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept this instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw acceptance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The accepted answer is not in this profile (deleted, or not synced yet).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} published here or on its topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(profile not in this profile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>archived on {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are a facilitator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are a member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not a member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership not known yet (sign in and open this page online)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>facilitator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as of {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{open} open of {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No one with evidence on its topics in this profile yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in {community}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asked of {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked by {who} on {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answers yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who}, {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joining, leaving and managing members happen on the server, which decides who may read the community&apos;s questions. Sign in and try again when the server can be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join or leave this community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manage the community&apos;s members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facilitators add members, make facilitators and remove members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave “{name}”? Its community-only questions and answers leave this computer at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You joined. Its questions arrive with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You left. Its community-only items leave this computer at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership changed on the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Sync conflicts</source>
        <extracomment>Characters of a value shown in a cell (the tooltip has it all).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records in conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two versions, field by field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep &amp;mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep &amp;theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the &amp;choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep my version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the server&apos;s version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the side chosen for each field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No conflicts: everything you changed reached the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> It clashed {n} more time(s) before; those versions are kept too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed here and on the server since the last sync ({since}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which side to keep for {field}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <extracomment>Rows shown in the bar charts (the tables list every row the summary has).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose use the dashboard shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the dashboard again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most used knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searched for, not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity per community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity per district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody opened in a year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dashboard could not be read: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone&apos;s use over the last 12 months, as of the last sync ({when}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own use over the last 12 months, as of the last sync ({when}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use on this computer over the last 12 months (sign in and sync to see more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} uses wait for the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not in this profile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Views</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing opened yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Views, “this helped me” marks and case studies that built on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every search found something.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searches that found nothing; a term shows once {n} different people searched it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{views} views · {searches} searches, {zero} found nothing · {helped} marked helpful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{people} people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your searches that found nothing: topics to ask about or to write up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No district given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed community)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No activity by members of a community yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No activity yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses per month by the members of each community.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uses per month, by the district on each person&apos;s expert profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rest are summed as Others in the table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month so far is dashed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody opened in a year: {n} items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything was opened in the last year.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published knowledge unchanged and unopened for a year, oldest first: review or retire it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your records that nobody opened in a year, oldest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knowledge not changed and not opened on this computer for a year.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>No date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the date</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailView</name>
    <message>
        <source>Choose a search result to see it here, with everything it is connected to.</source>
        <extracomment>Kinds whose records carry photos and documents, so the attachments panel is shown for them. The height the attachments panel starts with under the record&apos;s text. Its height as a compact strip (``compact_files``), when the record has files. No maximum (Qt&apos;s QWIDGETSIZE_MAX). A record counts as viewed once it stayed shown this long (arrowing through results is not reading). True: the files are a compact strip under the text, none at all without files (the review queue). The files&apos; height under the text; dragging the divider changes it (a page may keep it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record details</source>
        <extracomment>True once the window shows terms in the Vocabulary page (else a term opens here, as a record). The people to ask about the record shown (None until the finder answers).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier versions of this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export this record to PDF, HTML or Markdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This helped me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark that this record helped you (counted on the dashboard)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <extracomment>&quot;I am available for …&quot; toggles, shown on my own expert profile (made on first use).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record is not in this profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <extracomment>The colour of an accepted answer&apos;s mark. Links to vocabulary terms: they open the term in the Vocabulary page (tree, labels, what uses it). Links shown per row; a term tagged on thousands of records lists the first ones and a count.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(original record kept, {n} characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authors</source>
        <extracomment>Rows of what a record points at, in reading order: (relation, row label).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facilitators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers the question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Builds on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broader terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspected duplicate of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a duplicate of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposed revision of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked for help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About the draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote</source>
        <extracomment>The order of backlink rows; anything else follows.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took part in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked of them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facilitates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared in this community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cited by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Narrower terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tagged on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspected duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposed revisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests for help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests about it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft</source>
        <extracomment>Workflow statuses as the meta line shows them (marked here for the translation source).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in this profile</source>
        <extracomment>Kinds a row label already names (&quot;Authors&quot; are people): no kind shown after each link.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now “{term}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Licence: {licence}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn by its publisher on {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawn by its publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archived by its publisher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A draft at its source (not published there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its publisher set it to expire on {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phase at its source: {phase}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner: {owner}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused by the server: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes waiting to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In conflict: see Sync ▸ Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an answer not in this profile yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the accepted answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show it in the Vocabulary page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Work and communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What points here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <extracomment>Kinds whose pages suggest people to ask (not people, vocabulary terms or requests themselves). Evidence titles listed per person.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lists it in their expertise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>advice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mentoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peer review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>available for {offers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People to ask about this</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DismissalsPanel</name>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is not a duplicate of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Said by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records said not to be duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Propose again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propose the chosen records as likely duplicates again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take back “not duplicates”: the chosen records are proposed as likely duplicates again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records a librarian said are not duplicates are not proposed together again; the word is kept on the records and shared at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No records were said not to be duplicates. “Not duplicates” on a group puts it here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <source>Duplicates</source>
        <extracomment>Characters of one value shown in a comparison cell (the whole value is in its tooltip). Recent merges listed under the comparison. The text of &quot;undo the newest merge&quot; (&quot;&quot; when there is nothing to undo). Emitted each time the groups have been (re)read; and each time a pair was shown.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for likely duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show groups of this kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Articles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case studies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knowledge-centre items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for duplicates again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo last merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the newest merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups of likely duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent merges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo &amp;this merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the selected merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First record compared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Second record compared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge into this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the first record and merge the second into it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the second record and merge the first into it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep this record; the other goes to the trash as its duplicate, its links, tags, files and missing fields move here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Second record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Not duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say the records of this group are not duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These records are different items: do not propose them together again (shared at the next sync)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not these &amp;two</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say the two records compared are not duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the two records compared are different items; the rest of the group stays proposed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} of {total} rows differ (highlighted). Merging keeps the record you choose; the other goes to the trash as its duplicate, and its links, tags, files and missing fields move over. Double-click a value to open its record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two records side by side; differences are highlighted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a group to compare its records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} groups of likely duplicates, best first. Choose one to compare its records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 group of likely duplicates. Choose it to compare its records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No likely duplicates found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose two different records to compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Links</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linked from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two records differ here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep “{keep}” and merge “{gone}” into it?

“{gone}” goes to the trash as a duplicate; its links, tags, files and the fields “{keep}” lacks move over, and records linking to it will link here. You can undo the merge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no merge to undo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo the merge of “{gone}” into “{keep}”?

Both records and every record whose links were moved get their content from before the merge back, as new versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Are these records different items, not duplicates?

{names}

They will not be proposed together again, here or, after the next sync, to other librarians. You can take it back under “Not duplicates”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Are “{first}” and “{second}” different items, not duplicates?

The other records of the group stay proposed. You can take it back under “Not duplicates”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propose these two records as likely duplicates again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propose these {n} pairs of records as likely duplicates again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propose again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not duplicates ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} links moved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} files copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>undone {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent merges: none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo merge of “{title}”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EditorWindow</name>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} — {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editor: {title}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmptyStatePanel</name>
    <message>
        <source>This knowledge base is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imbizo keeps case studies, site visits, articles and the people behind them on this computer, so you can find them without a connection.

Try the demo knowledge base to see how records connect to the people who know about them, or import a folder of your own files (Markdown, GOV.UK JSON, MARC catalogue records, vocabulary CSV).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load the demo knowledge base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the demo knowledge base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo records are marked as demo and never shared with the server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your work is saved. The details below help us fix the problem:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the details to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imbizo could not finish: {what}.

{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unexpected step</source>
        <extracomment>The profile opens at the latest this long after show() when no expose event comes. How long after the first expose the profile starts opening. Set to ``interactive`` or ``search:&lt;words&gt;`` to time start-up (see desktop/ui/startup_probe.py).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpertFinderPanel</name>
    <message>
        <source>A topic, or a vocabulary term as you type it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who knows about this topic?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who knows about:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find experts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any district</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available for anything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available for {offer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a topic and press Enter. People are ranked by what connects them to it: their profile, what they wrote or reviewed, site visits they took part in, and their accepted answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a piece of evidence to see it here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({n})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpertsPage</name>
    <message>
        <source>Find an expert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests ({n})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpertsView</name>
    <message>
        <source>profile</source>
        <extracomment>Anchors of the actions under each person: ``ask:&lt;id&gt;``, ``request:&lt;type&gt;:&lt;id&gt;``.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>took part in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>facilitates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted answer to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>advice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mentoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>peer review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Experts</source>
        <extracomment>Show &quot;Ask&quot; and &quot;Request …&quot; under each person (the Experts page; not beside search results).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for people who know about “{topic}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who knows about “{topic}”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No one who passes the filters: try fewer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No one yet: nobody has written or worked on this topic in this profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available for {offers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profile: lists this topic in their expertise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not on the sync server yet: they cannot be asked from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask for advice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request mentoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request a peer review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>{n} records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportFlow</name>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FacetPanel</name>
    <message>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters appear here once you search full text (three letters or more).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value}: {count} results</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldRow</name>
    <message>
        <source>Problem with {field}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FollowUpsField</name>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a follow-up action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected follow-up actions</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>created it</source>
        <extracomment>Characters of one value shown in the diff pane (a long body is cut, with a note). How the server&apos;s history names what each stored version did (sync/PROTOCOL.md &quot;Review history&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>saved a change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>submitted it for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>published it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned it to its author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retired it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reopened it as a draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restored it from the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proposed it as a revision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <extracomment>What a version that took a review step is called in the list (&quot;Version N&quot; otherwise).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent for review; the text is unchanged</source>
        <extracomment>What a review step with no comment and no other change did, so its row is never blank.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>published as it was submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>returned to its authors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>taken out of use; the text is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a draft again; the text is unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <extracomment>Emitted with the Changes after a version was restored. Emitted each time the list of versions has been (re)loaded.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes in this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>“{title}”: %n saved version(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {n}, revision {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}” merged into this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{comment}; changed {changes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>files or sync only (the text is unchanged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{changes} (current)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(current)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merged record “{title}”: {changes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record has no saved versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s history of this record shows here once you sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the server&apos;s history…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not have this record yet: it goes up with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the server: who did what, and when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s history could not be read ({error}); it shows here when you are online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(cut short)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore this version?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record will get the content it had on {when}. This is saved as a new version: nothing in its history is lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HitListModel</name>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New case study</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New site visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My drafts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-ups due in the next two weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working as {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No drafts: what you start writing appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No follow-up actions due.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind}, unsaved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes to “{title}”: open to save or discard them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue since {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{action}
from “{title}”, due {date}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>{files} files read: {added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped.</source>
        <extracomment>At most this many rows in the report table (a whole corpus can bring thousands of notes).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File being imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records imported so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after the current batch; what was imported stays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped files and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the report to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the import report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for files in {paths}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making the imported records searchable…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing file {done} of {total}: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records: {added} added, {updated} updated, {unchanged} unchanged. Files skipped: {skipped}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled; what was imported stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <source>Import files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collection files (*.md *.markdown *.json *.csv *.mrc *.marc *.dat *.xml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ListField</name>
    <message>
        <source>Type and press Enter to add</source>
        <extracomment>``lookup(text, on_result)``: find (title, record id) pairs for ``text`` and call ``on_result`` later; a third item, when there, is the record&apos;s own title (the text offered was another of its names). Rows a list field shows without scrolling: at least, and at most.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to {field}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from {field}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{item}” is already in the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Imbizo</source>
        <extracomment>Modules of screens a person reaches soon after start-up (a record&apos;s files, search results, editors). Importing one costs tens of milliseconds; done on the GUI thread at first use, that is a stall.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imbizo main window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who knows about this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find experts on the search topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People who wrote about or worked on what you searched for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new record of the kind the page shown lists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;kind of record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the &amp;catalogue…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every knowledge-centre item as CSV or MARCXML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the &amp;demo knowledge base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo last merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Who knows about this?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Case study or best practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Site visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expert profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Knowledge-centre item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ommunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile in {path} could not be opened:
{error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That record was returned to its authors; it is no longer in your profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the demo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load the demo knowledge base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MarkdownField</name>
    <message>
        <source>Body preview</source>
        <extracomment>The date a QDateEdit shows as &quot;no date&quot; (its special value text).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the Markdown preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch between editing the Markdown and a preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MembersDialog</name>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name to add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make facilitator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facilitator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The member list comes from the server: sign in and open this online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a member, or type a user name to add.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MergeTermDialog</name>
    <message>
        <source>“{labels} become alternative labels of the term that stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its narrower term moves under it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its {n} narrower terms move under it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record tagged with it is retagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {n} records tagged with it are retagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No record is tagged with it yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{term}” then goes to the trash. All of it is one change, synced as one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge “{term}” into:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The term that stays: type its label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The term to merge into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the term that stays: type any of its labels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{term}” ({scheme}) stays.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Moments</name>
    <message>
        <source>{date}, {time}</source>
        <extracomment>A weekday in a locale&apos;s long date format, with the separator after it (&quot;dddd, &quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NavigationList</name>
    <message>
        <source>Navigation</source>
        <extracomment>Standard pixmaps for a page whose app icon is missing (names: QStyle&apos;s enum loads on first use).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notifications</name>
    <message>
        <source>New answer · {who} answered “{title}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted · {who} accepted an answer to “{title}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open again · {who} withdrew the accepted answer to “{title}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked of you · {who} asks “{title}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed first · {who} reviewed “{title}” before your review reached the server: yours was not sent (the record&apos;s review history says what they did)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewed first · {who} returned “{title}” to its authors before your review reached the server: yours was not sent, and the record is no longer in your profile</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationsButton</name>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New answers, accepted answers and questions asked of you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} unread</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationsList</name>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing new. Answers to questions you follow appear here after a sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark all read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications ({n} unread)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PageShell</name>
    <message>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeopleField</name>
    <message>
        <source>No one called “{name}” in the expert directory: pick a name from the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewTableModel</name>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title or row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadOnlyField</name>
    <message>
        <source>(kept as imported, {n} characters)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <source>Close without saving?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record cannot be saved yet:
{problems}

Close it anyway? Your changes are kept and offered back the next time you open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a name from the expert directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the title of a record in this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a term from the vocabulary, or a new tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the record once to attach files to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editor actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a new version now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit for &amp;review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save, then send this record to a librarian to publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems with this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit {field}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: fix the marked fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosave failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New — not saved yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes — autosaved {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case study</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lesson learned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mentoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About this practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People involved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Took part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Builds on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The story</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Body (Markdown)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What we learned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expertise and availability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catalogue record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digital copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Facilitators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordLinkField</name>
    <message>
        <source>No record titled “{title}” here: pick a title from the list.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordListPage</name>
    <message>
        <source>Choose a record in the list to see it here, with its connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of records in the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag selected…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a vocabulary term to the selected records, or remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter titles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mine only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only my records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move the selected records to the trash (Delete)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the selected records to PDF, HTML or Markdown (Ctrl+click selects several)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move “{title}” to the trash? You can restore it from the trash later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move {n} records (“{title}” and {others} more) to the trash? You can restore them from the trash later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordPage</name>
    <message>
        <source>No record is open.</source>
        <extracomment>The widest the record&apos;s column gets, in pixels.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordTableModel</name>
    <message>
        <source>Title</source>
        <extracomment>Rows read per page. The columns, by the RecordSummary attribute they show. The store&apos;s sorts, by column; the other columns do not sort (the store has no index for them).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>District</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to sort by this column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This column does not sort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retired</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryBanner</name>
    <message>
        <source>Recovered changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the recovered changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the recovered changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes from {time} were recovered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They were made on an older version of this record: check them before saving.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestDialog</name>
    <message>
        <source>Ask {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request help from {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Available for {offers}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is sent with your next sync; you will see their answer after a later one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you ask for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The draft to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Draft to review:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Question:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>De&amp;tails:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Request:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you would like help with, and by when</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mentoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A peer review of one of my drafts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have no drafts to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write your question first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestsView</name>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet. Mark yourself available above, and requests reach you with a sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet: ask for mentoring or a peer review from the expert finder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(someone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind}, asked by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} from {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark done…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mentoring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for an answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>declined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What came of it (the requester sees this):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RetireTermDialog</name>
    <message>
        <source>Retire term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire “{term}”? One record uses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire “{term}”? {n} records use it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire “{term}”? No record uses it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace it with another term on those records:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the tag from those records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The replacement: type its label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The replacement term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The term goes to the trash; its narrower terms move up to its broader terms, or under the replacement. A replacement also takes its labels as alternative labels, so a search or a tag typed with them finds the replacement.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReturnedToYou</name>
    <message>
        <source>Returned to you</source>
        <extracomment>Rows shown before the list scrolls (a returned record is rare and wants attention).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records returned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned by {who} on {when}: “{comment}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned for changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open “{title}” to change it and submit it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Returned to you (%n)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewBanner</name>
    <message>
        <source>Review status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a librarian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to you by {who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no comment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{comment}”
Edit the record, then submit it for review again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted by {who} on {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A librarian publishes it, or returns it to its author with a comment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No longer in use.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewCommentDialog</name>
    <message>
        <source>Return to the author</source>
        <extracomment>The colours of the returned banner: a warm background that reads on light and dark palettes.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}” goes back to its author with your comment. Say what should change before it can be published: they read this after their next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}” leaves the knowledge base: only librarians and its owner still see it. Why is it retired (out of date, replaced)? Optional.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;tire</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment for the author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: add the costs and who ran it; the results need a source.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example: replaced by the 2026 guidance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too long: {n} of at most {max} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A comment is needed to return a record.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewControls</name>
    <message>
        <source>Submit for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send this record to a librarian to publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish this record to everyone who may read it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Return…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send it back to its author with a comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a stale record out of use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewHistory</name>
    <message>
        <source>Submitted by {who} on {when}</source>
        <extracomment>How each entry reads (&quot;{who}&quot; and &quot;{when}&quot; filled in).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published by {who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned by {who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retired by {who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopened by {who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review history</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewQueuePage</name>
    <message>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the queue shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by service area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ommunity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service &amp;area:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items in the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Items waiting for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an item in the queue to review it here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar items already in the knowledge base</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a similar item to compare it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The similar item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted items, oldest first. Compare each with what is already there, then publish it, return it to its author with a comment, or retire it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your items in review: what waits for a librarian, and what came back to you with a comment. Librarians review here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All communities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All service areas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing waits for review.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None of your records is in review: submit a draft from its page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{shown} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned by {who}: {comment}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for similar items…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing similar found.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Search titles, people and full text  (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search status</source>
        <extracomment>A full-text answer left on screen this long is a settled search (recorded for the dashboard); Enter, or opening a result, settles it at once. Keystrokes in between are never recorded.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did you mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search failed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did you mean &lt;a href=&apos;#suggestion&apos;&gt;{suggestion}&lt;/a&gt;?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} results for “{text}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} matching titles; type more for full text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing found for “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(filtered: &lt;a href=&apos;#clear-filters&apos;&gt;clear filters&lt;/a&gt;)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>The data-folder choice when the user asked for the platform default (the config line is removed).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <extracomment>None: unchanged; USE_DEFAULT; or a folder path.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the data folder was chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use &amp;another folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the &amp;default folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the default data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Colours:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos you attach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downscale photos for sharing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller photos are quicker to send over slow or paid connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off (keep the original size)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do&amp;wnscale for sharing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep the photo&apos;s location (GPS) information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep photo location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off by default: a location can reveal where people live or work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your typing is saved every {seconds:g} seconds and when you leave a field; a version is kept when you save or close, and every {minutes} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosave interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosave:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name shown as the owner of what you write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files downloaded at each sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: every file when opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up to {size} MB each</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Download files:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Larger files stay on the server until you open them, so a sync over a paid or slow link does not carry every video and scan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen by the --data-dir option for this start; it overrides this setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen by the IMBIZO_DATA_DIR environment variable; it overrides this setting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen in Imbizo&apos;s settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default folder for this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the next start Imbizo will use {folder}. Restart Imbizo to switch.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https://imbizo.example.gov.za</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow plain http to this address (an office network only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow plain http to this address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate &amp;authority:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: your office&apos;s CA certificate (.pem, .crt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate authority file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only for a server whose certificate comes from your office&apos;s own certificate authority: that authority&apos;s certificate file, in PEM form. Certificates are always checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the certificate authority file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plain http: anyone on the network can read what is synced and your password. Use https.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the server, your user name and your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to {server} as {user}. The sign-in token is kept in {place}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: plain http, readable on the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate check failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate does not match the certificate authority in {file} ({reason}). Check that the file is your office&apos;s CA certificate and that the address is the one on the server&apos;s certificate. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate cannot be trusted ({reason}). If your office&apos;s server uses its own certificate authority, choose that authority&apos;s certificate file under Certificate authority. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Not signed in</source>
        <extracomment>Minutes between automatic syncs while signed in (a preference can change it).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to a server to share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{user} on {server}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in token is kept in {place}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 conflict to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} conflicts to resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 change waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} changes waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking with the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{step}: {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please update Imbizo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync stopped: many deletions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync stopped: different server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncUi</name>
    <message>
        <source>S&amp;ync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;in to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Conflicts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in to {server} as {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: plain http, readable on the network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A different server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server is not the one this profile synced with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its database may have been wiped, re-created or restored from a backup, or the address now leads to another server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server knows less than this profile has seen of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It may have been reset or restored from an older backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sync stopped before sending or changing anything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you start again with this server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing on this computer is deleted;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the records on this computer are offered to this server again;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what only the old server had (and this computer never received) is not here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If this is not the right server, answer No and check the address with your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start again with this server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;No, leave it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Many deletions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete them here too?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TermChooser</name>
    <message>
        <source>Type a preferred or alternative label</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TermEditDialog</name>
    <message>
        <source>Edit term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferred label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alternative labels, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One per line: synonyms, abbreviations, other spellings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broader terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a broader term: type its label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a broader term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected broader term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the term covers, and what it does not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alternative labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A term needs a preferred label.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TermPanel</name>
    <message>
        <source>notation {code}</source>
        <extracomment>Narrower terms listed before &quot;and N more&quot;. The merged or retired term that was asked for, when it led here (its replacement).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alternative labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broader terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (a top term)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Narrower terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scope note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no records yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Used by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{old}” was merged into this term.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{old}” was retired and replaced by this term.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records tagged with the term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a term in the tree, or find one by any of its labels.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records tagged with “{term}” ({n}): open one with Enter or a double-click</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TermTreeModel</name>
    <message>
        <source>Term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{scheme} ({n} terms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} top terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>also: {labels}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <source>Question and answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow this question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New answers and the accepted answer become notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your answer (saved here, shared at the next sync)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post your answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Following</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer saved; it is shared at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted instead; everyone following it is told after the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted; everyone following it is told after the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acceptance withdrawn; the question is open again, for everyone after the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrashPage</name>
    <message>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrashView</name>
    <message>
        <source>Deleted records can be restored from here.</source>
        <extracomment>Emitted with the record id after a record came back from the trash. Emitted each time the table has been (re)filled.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the selected records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the trash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 deleted record; select it and press Restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} deleted records; select them and press Restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The trash is empty.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VocabularyField</name>
    <message>
        <source>{label} (free tag)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VocabularyPage</name>
    <message>
        <source>Vocabulary</source>
        <extracomment>The page a term was opened from (a tag in a record&apos;s view); Back returns there.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a term to a vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the term&apos;s labels, broader terms and scope note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge this term into another; what used it is retagged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retire this term: replace it, or remove it from what used it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import EuroVoc and LGSL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import EuroVoc and the Local Government Service List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a term by any of its labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary terms by scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} terms in {s} vocabularies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} terms in 1 vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No term has a label containing “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terms with a label containing “{text}” (Enter shows one in the tree):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only librarians edit the vocabulary: sign in as one to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Term “{term}” created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Term “{term}” saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{loser}” merged into “{survivor}”: 1 record retagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{loser}” merged into “{survivor}”: {n} records retagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{term}” retired: 1 record retagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{term}” retired: {n} records retagged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{term}” retired: 1 record retagged with “{replacement}”, which now also has “{term}” as an alternative label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{term}” retired: {n} records retagged with “{replacement}”, which now also has “{term}” as an alternative label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where are EuroVoc and the Local Government Service List?</source>
        <extracomment>The vocabulary files of the shared corpus the Import button reads (relative to the corpus folder).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other terms</source>
        <extracomment>How the known schemes read (the scheme field holds a short code).</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_DueDateDelegate</name>
    <message>
        <source>Due date</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
