-- Neovim 0.7 (Debian 12) through its built-in client: go to definition from a table name, the document symbols
-- and the inlay hints of skene.config.ts. Prints what the server answered as one JSON line.
local server = os.getenv('SKENE_SERVER')
local project = os.getenv('SKENE_PROJECT')
local line = tonumber(os.getenv('SKENE_LINE'))
local character = tonumber(os.getenv('SKENE_CHARACTER'))

local client_id = vim.lsp.start_client({ name = 'skene', cmd = { 'node', server, '--stdio' }, root_dir = project })
vim.cmd('edit ' .. vim.fn.fnameescape(project .. '/skene.config.ts'))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
-- Diagnostics mean the project was analyzed and the config checked.
vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)

local uri = vim.uri_from_bufnr(buf)
local function first_result(method, params)
  for _, response in pairs(vim.lsp.buf_request_sync(buf, method, params, 15000) or {}) do
    if response.result then return response.result end
  end
  return {}
end

local definitions = {}
for _, location in ipairs(first_result('textDocument/definition', { textDocument = { uri = uri }, position = { line = line, character = character } })) do
  table.insert(definitions, { file = vim.uri_to_fname(location.uri):sub(#project + 2), line = location.range.start.line })
end

local function names(symbols)
  local out = {}
  for _, symbol in ipairs(symbols) do
    table.insert(out, { name = symbol.name, children = names(symbol.children or {}) })
  end
  return out
end
local symbols = names(first_result('textDocument/documentSymbol', { textDocument = { uri = uri } }))

local hints = {}
local last = vim.api.nvim_buf_line_count(buf)
for _, hint in ipairs(first_result('textDocument/inlayHint', { textDocument = { uri = uri }, range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } } })) do
  table.insert(hints, { line = hint.position.line, label = hint.label })
end

local client = vim.lsp.get_client_by_id(client_id)
if client then
  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 20)
end
io.stdout:write(vim.fn.json_encode({ definitions = definitions, symbols = symbols, hints = hints }) .. '\n')
vim.cmd('qa!')
