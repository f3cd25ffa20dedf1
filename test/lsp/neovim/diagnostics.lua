-- Neovim 0.7 (Debian 12) as a push-diagnostics client: open the example project's skene.config.ts (with a
-- wrong table) and accounts/models.py, attach the bundled server, wait for the pushed diagnostics, ask for
-- the code lenses of models.py, and print what Neovim got as one JSON line.
local server = os.getenv('SKENE_SERVER')
local project = os.getenv('SKENE_PROJECT')

local client_id = vim.lsp.start_client({
  name = 'skene',
  cmd = { 'node', server, '--stdio' },
  root_dir = project,
})

vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/skene.config.ts'))
local config_buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(config_buf, client_id)

local got_diagnostics = vim.wait(15000, function()
  return #vim.diagnostic.get(config_buf) > 0
end, 20)

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(config_buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(diagnostics, { code = d.code or lsp.code, line = d.lnum, source = d.source, message = d.message })
end

vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/accounts/models.py'))
local models_buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(models_buf, client_id)
local responses = vim.lsp.buf_request_sync(models_buf, 'textDocument/codeLens', {
  textDocument = { uri = vim.uri_from_bufnr(models_buf) },
}, 15000) or {}

local lenses = {}
for _, response in pairs(responses) do
  for _, lens in ipairs(response.result or {}) do
    table.insert(lenses, { line = lens.range.start.line, title = lens.command and lens.command.title, command = lens.command and lens.command.command })
  end
end

local client = vim.lsp.get_client_by_id(client_id)
local stopped = false
if client then
  client.stop()
  stopped = vim.wait(5000, function() return client.is_stopped() end, 20)
end
io.stdout:write(vim.fn.json_encode({ gotDiagnostics = got_diagnostics, diagnostics = diagnostics, lenses = lenses, stopped = stopped }) .. '\n')
vim.cmd('qa!')
