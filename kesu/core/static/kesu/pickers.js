/* Searchable pickers (kesu/core/pickers.py): Tom Select on every <select data-picker>.
 *
 * The server does the searching, so Tom Select's own filtering is switched off and its order
 * is the server's. A picker that depends on other fields (lots on the customer and products)
 * sends their values with every search, forgets its cached results when they change, and drops
 * chosen items that no longer fit them. A picker with data-picker-fill copies fields of the
 * chosen option into other inputs (a contact's phone and e-mail), without overwriting what
 * someone typed there; with data-picker-only it chooses the one match by itself.
 */
(function () {
  "use strict";

  function fieldOf(form, name) {
    return form ? form.elements.namedItem(name) : null;
  }

  function valuesOf(field) {
    if (!field) return [];
    if (field.tomselect) {
      const value = field.tomselect.getValue();
      return (Array.isArray(value) ? value : [value]).filter(Boolean);
    }
    if (field.options && field.multiple) {
      return Array.from(field.selectedOptions, (o) => o.value).filter(Boolean);
    }
    return field.value ? [field.value] : [];
  }

  function pairs(text) {
    return (text || "").split(/\s+/).filter(Boolean).map((pair) => pair.split(":"));
  }

  function urlFor(select, query) {
    const url = new URL(select.dataset.picker, window.location.origin);
    url.searchParams.set("q", query);
    for (const [field, param] of pairs(select.dataset.pickerDepends)) {
      url.searchParams.delete(param);
      for (const value of valuesOf(fieldOf(select.form, field))) {
        url.searchParams.append(param, value);
      }
    }
    return url;
  }

  function fetchOptions(select, query) {
    return fetch(urlFor(select, query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((body) => body.results || []);
  }

  function fill(select, option) {
    for (const [target, key] of pairs(select.dataset.pickerFill)) {
      const input = fieldOf(select.form, target);
      if (!input || option[key] === undefined) continue;
      // Only an empty input or one this picker filled: never what a person typed.
      if (input.value === "" || input.dataset.filledBy === select.name) {
        input.value = option[key] || "";
        input.dataset.filledBy = select.name;
      }
    }
  }

  function fits(option, select) {
    for (const [field, param] of pairs(select.dataset.pickerDepends)) {
      const wanted = valuesOf(fieldOf(select.form, field));
      const has = option.filters ? option.filters[param] : undefined;
      if (wanted.length && has !== undefined && !wanted.includes(String(has))) return false;
    }
    return true;
  }

  function dependenciesChanged(select) {
    const picker = select.tomselect;
    picker.clearOptions((option, value) => picker.items.includes(value) && fits(option, select));
    for (const value of [...picker.items]) {
      if (!picker.options[value]) picker.removeItem(value, true);
    }
    picker.wrapper.classList.remove("preloaded");
    if (select.dataset.pickerOnly && !picker.items.length) {
      fetchOptions(select, "").then((found) => {
        if (found.length === 1 && !picker.items.length) {
          picker.addOption(found[0]);
          picker.addItem(String(found[0].value));
        }
      });
    }
  }

  // Tom Select counts loads in flight and shows "searching" until each is answered; an answer
  // dropped on purpose is counted off without touching the list.
  function settle(picker) {
    picker.loading = Math.max(picker.loading - 1, 0);
    if (!picker.loading) picker.wrapper.classList.remove(picker.settings.loadingClass);
  }

  function setUp(select) {
    if (select.tomselect) return;
    const data = select.dataset;
    const settings = {
      valueField: "value",
      labelField: "text",
      searchField: [],
      // The server ranks; keep its order and show everything it sent.
      score: () => () => 1,
      sortField: [{ field: "$order" }],
      preload: "focus",
      shouldLoad: () => true,
      loadThrottle: 250,
      maxOptions: null,
      closeAfterSelect: !select.multiple,
      // What is chosen is shown in the control; the list holds only the server's answer, so
      // the first row is the best match and Enter takes it.
      hideSelected: true,
      // No placeholder beside chosen items: the input then stays on their line, and the
      // control keeps its height when the input is hidden on blur (a control that shrank
      // under the pointer would move the button being clicked).
      hidePlaceholder: true,
      // A choice that may stay empty (a filter, a handler not yet named) can be cleared.
      plugins: select.multiple
        ? { remove_button: { title: data.pickerClear } }
        : select.required ? {} : { clear_button: { title: data.pickerClear } },
      load(query, callback) {
        const ticket = (select.pickerTicket = (select.pickerTicket || 0) + 1);
        fetchOptions(select, query).then((found) => {
          // A slower answer to an earlier search, or one for text no longer in the box (a
          // choice was made meanwhile), must not replace the list or open it again.
          if (ticket !== select.pickerTicket || query !== this.inputValue()) {
            return settle(this);
          }
          // Show this answer only: earlier searches' rows would pass the disabled filter.
          this.clearOptions();
          callback(found);
        }, () => settle(this));
      },
      render: {
        option(item, escape) {
          const hint = item.hint ? `<small class="ts-hint">${escape(item.hint)}</small>` : "";
          return `<div><span>${escape(item.text)}</span>${hint}</div>`;
        },
        item(item, escape) {
          return `<div>${escape(item.text)}</div>`;
        },
        no_results(_item, escape) {
          return `<div class="no-results">${escape(data.pickerEmpty)}</div>`;
        },
        loading(_item, escape) {
          return `<div class="loading">${escape(data.pickerLoading)}</div>`;
        },
      },
      onItemAdd(value) {
        const option = this.options[value];
        if (option && data.pickerFill) fill(select, option);
      },
    };
    if (data.pickerCreate) {
      Object.assign(settings, { create: true, createOnBlur: true, persist: false });
      settings.render.option_create = (item, escape) =>
        `<div class="create">${escape(data.pickerCreate).replace(
          "{text}", `<strong>${escape(item.input)}</strong>`)}</div>`;
    }
    new TomSelect(select, settings);
  }

  function setUpAll(root) {
    const selects = root.querySelectorAll("select[data-picker]");
    selects.forEach(setUp);
    selects.forEach((select) => {
      for (const [field] of pairs(select.dataset.pickerDepends)) {
        const source = fieldOf(select.form, field);
        if (source && !source.dataset.pickerWatched?.includes(select.name)) {
          source.dataset.pickerWatched = `${source.dataset.pickerWatched || ""} ${select.name}`;
          source.addEventListener("change", () => dependenciesChanged(select));
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => setUpAll(document));
  document.addEventListener("htmx:load", (event) => setUpAll(event.target));
})();
